// Change Data Capture for one REST call: every record the call saves, of an object selected for
// it, becomes a change event in the org's event bus, inside the call's transaction (so a rolled
// back call publishes nothing). One call is one transaction: one transactionKey and commit
// number, with a sequence number per change.

import { randomInt, randomUUID } from 'node:crypto'
import type { EventBus } from '../events/event-bus.ts'
import type { RecordChange } from './record-writer.ts'

export type ChangeOrigin = { version: string; client: string | null }

/** `com/salesforce/api/rest/66.0`, with `;client=<name>` from `Sforce-Call-Options`. */
export function changeOrigin(origin: ChangeOrigin): string {
  const base = `com/salesforce/api/rest/${origin.version}`
  return origin.client ? `${base};client=${origin.client}` : base
}

/** The client name in `Sforce-Call-Options: client=<name>`, if any. */
export function callOptionsClient(header: string | undefined): string | null {
  const m = /(?:^|[;,\s])client=([^;,\s]+)/i.exec(header ?? '')
  return m?.[1] ?? null
}

export function changeSink(
  bus: EventBus,
  userId: string,
  origin: ChangeOrigin,
  now: () => Date,
): (change: RecordChange) => void {
  const transactionKey = randomUUID()
  const commitTimestamp = now().getTime()
  // Real commit numbers exceed 2^53; keeping ours there makes clients decode longs correctly.
  const commitNumber = BigInt(commitTimestamp) * 1_000_000n + BigInt(randomInt(1_000_000))
  let sequenceNumber = 0
  return (change) => {
    if (!bus.capturesChanges(change.obj.name)) return
    bus.publishChange(change, {
      changeOrigin: changeOrigin(origin),
      transactionKey,
      sequenceNumber: ++sequenceNumber,
      commitTimestamp,
      commitNumber,
      commitUser: userId,
    })
  }
}
