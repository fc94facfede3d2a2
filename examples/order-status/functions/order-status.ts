import { readFileSync } from 'node:fs'
import { latestStatus } from './order-events-log.ts'

// A Lambda handler like any other: it receives API Gateway's proxy event and returns a proxy response.
interface Order {
  orderId: string
  customer: string
  status: string
}

const { orders } = JSON.parse(readFileSync(new URL('../orders.json', import.meta.url), 'utf8')) as {
  orders: Order[]
}

interface ProxyEvent {
  resource: string
  pathParameters: Record<string, string> | null
  queryStringParameters: Record<string, string> | null
  requestContext: { authorizer?: Record<string, unknown> }
}

const json = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})

export async function handler(event: ProxyEvent) {
  // The Salesforce identity the gateway vouched for (principalId is the user id).
  const authorizer = event.requestContext.authorizer ?? {}
  const caller = {
    userId: authorizer.principalId ?? null,
    username: authorizer.username ?? null,
    clientId: authorizer.clientId ?? null,
  }
  // Order events relayed from the org (POST /orders/events) change an order's status.
  const current = orders.map((o) => ({ ...o, status: latestStatus(o.orderId) ?? o.status }))
  if (event.resource === '/orders') {
    const status = event.queryStringParameters?.status
    const list = status === undefined ? current : current.filter((o) => o.status === status.toUpperCase())
    return json(200, { orders: list, caller })
  }
  const order = current.find((o) => o.orderId === event.pathParameters?.orderId)
  if (order === undefined) return json(404, { message: `order ${event.pathParameters?.orderId} not found` })
  return json(200, { ...order, caller })
}
