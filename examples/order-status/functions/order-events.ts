import { type OrderEvent, readOrderEvents, recordOrderEvent } from './order-events-log.ts'

// Two routes use this function. POST /orders/events is a non-proxy (`type: aws`) integration:
// the relay delivers each Order_Event__e there and the route's mapping template reshapes it into
// the flat object below, so this code knows nothing of platform events. GET
// /orders/{orderId}/events is a proxy integration that lists what was applied to one order.

interface RecordInput extends OrderEvent {
  readonly action: 'record'
}

interface ProxyEvent {
  readonly httpMethod: string
  readonly pathParameters: Record<string, string> | null
}

// The org's integration user: the only caller whose events are applied (the route's scheme
// admits any user of the org; a partner's token must not move orders).
const PUBLISHER = process.env.ORDER_EVENTS_PUBLISHER ?? 'integration@forcegate.example.com'

export async function handler(event: RecordInput | ProxyEvent) {
  if ('action' in event) {
    const { action: _action, ...order } = event
    // An error whose message starts "Forbidden" is mapped to 403 by the route's integration responses.
    if (order.relayedBy !== PUBLISHER)
      throw new Error(`Forbidden: ${order.relayedBy} may not record order events`)
    if (order.eventId === '') throw new Error('Bad request: no idempotency key')
    const applied = recordOrderEvent(order)
    return { eventId: order.eventId, orderId: order.orderId, applied }
  }
  const orderId = event.pathParameters?.orderId ?? ''
  const events = readOrderEvents().filter((e) => e.orderId === orderId)
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ orderId, status: events.at(-1)?.status ?? null, events }),
  }
}
