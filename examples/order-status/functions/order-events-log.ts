import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'

// The order system's record of status changes, one JSON line per applied event: what the
// order-events function writes and both functions read. A real deployment keeps this in a
// database; a file keeps the example self-contained (npm start points ORDER_EVENTS_FILE into
// its state folder).

export interface OrderEvent {
  /** The platform event's EventUuid: an event is applied once, however often it arrives. */
  readonly eventId: string
  readonly orderId: string
  readonly status: string
  readonly amount: number | null
  /** Epoch ms the org stamped (CreatedDate). */
  readonly publishedAt: number
  readonly publishedBy: string
  /** Who delivered it to the gateway (the relay's integration user). */
  readonly relayedBy: string
}

const file = () => process.env.ORDER_EVENTS_FILE ?? '.forcegate/order-events.jsonl'

export function readOrderEvents(): OrderEvent[] {
  const path = file()
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OrderEvent)
}

/** Appends the event unless one with its id was applied already; answers whether it was new. */
export function recordOrderEvent(event: OrderEvent): boolean {
  if (readOrderEvents().some((e) => e.eventId === event.eventId)) return false
  mkdirSync(dirname(file()), { recursive: true })
  appendFileSync(file(), `${JSON.stringify(event)}\n`)
  return true
}

/** The status the latest event gave the order, if any. */
export function latestStatus(orderId: string): string | undefined {
  return readOrderEvents()
    .filter((e) => e.orderId === orderId)
    .at(-1)?.status
}
