/** The event the request template makes of a Salesforce Order_Event__e. */
interface OrderEvent {
  orderNumber: string
  status: string
  amount: number | null
  replayId: number
  channel: string
  requestId: string
}

const NEXT: Readonly<Record<string, string>> = {
  Placed: 'reserve stock',
  Paid: 'ship',
  Shipped: 'notify customer',
}

/**
 * Decides what happens to an order after a status change. An unknown status is rejected with
 * an error whose message the API's `Rejected: .*` selection pattern turns into a 422.
 */
export async function handler(event: OrderEvent) {
  const next = NEXT[event.status]
  if (next === undefined) throw new Error(`Rejected: unknown status ${event.status}`)
  return { orderNumber: event.orderNumber, next }
}
