// Platform event publish over REST. Events are not stored as records: each publish is
// appended to an in-memory log the rest of the dev org (and tests) can read.

import { randomUUID } from 'node:crypto'
import { formatDateTime } from './field-values.ts'
import { makeId } from './record-id.ts'
import { readInput } from './record-input.ts'
import type { RecordStore } from './record-store.ts'
import type { ObjectDef, Schema } from './sobject-schema.ts'

export type PublishedEvent = { name: string; payload: Record<string, unknown>; id: string }

export type PublishResult = {
  id: string
  success: true
  errors: { statusCode: 'OPERATION_ENQUEUED'; message: string; fields: string[] }[]
}

const MAX_EVENTS = 10_000

export type EventLog = ReturnType<typeof createEventLog>

export function createEventLog() {
  const events: PublishedEvent[] = []
  let replay = 0
  return {
    events: (): readonly PublishedEvent[] => [...events],
    /** Forgets events published after the first `count` (a composite call that rolled back). */
    truncate(count: number): void {
      events.length = Math.min(events.length, count)
    },
    /** Validates the payload against the event's fields and records it. */
    publish(
      schema: Schema,
      store: RecordStore,
      obj: ObjectDef,
      body: unknown,
      userId: string,
      now: Date,
    ): PublishResult {
      const fields = readInput(schema, store, obj, body, 'insert')
      const uuid = randomUUID()
      const id = makeId(obj.keyPrefix, store.nextSerial())
      replay++
      const payload = {
        ...fields,
        CreatedDate: formatDateTime(now),
        CreatedById: userId,
        EventUuid: uuid,
        ReplayId: String(replay),
      }
      events.push({ name: obj.name, payload, id })
      if (events.length > MAX_EVENTS) events.shift()
      // Current orgs publish asynchronously and say so in `errors`; success is in `success`.
      return { id, success: true, errors: [{ statusCode: 'OPERATION_ENQUEUED', message: uuid, fields: [] }] }
    },
  }
}
