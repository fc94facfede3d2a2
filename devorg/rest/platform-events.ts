// Platform event publish over REST. Events are not stored as records: each publish goes to the
// org's event bus, the same durable stream Pub/Sub API publishers write to and subscribers read.

import type { EventBus } from '../events/event-bus.ts'
import { makeId } from './record-id.ts'
import { readInput } from './record-input.ts'
import type { RecordStore } from './record-store.ts'
import { errors } from './rest-errors.ts'
import type { ObjectDef, Schema } from './sobject-schema.ts'

export type PublishedEvent = { name: string; payload: Record<string, unknown>; id: string | null }

export type PublishResult = {
  id: string
  success: true
  errors: { statusCode: 'OPERATION_ENQUEUED'; message: string; fields: string[] }[]
}

export type EventLog = ReturnType<typeof createEventLog>

export function createEventLog(bus: EventBus) {
  return {
    /** Every retained event of the org, whoever published it, oldest first. */
    events: (): readonly PublishedEvent[] =>
      bus.all().map((e) => ({
        name: e.topic.slice(e.topic.lastIndexOf('/') + 1),
        payload: e.fields,
        id: e.recordId,
      })),
    /**
     * Called after a composite call rolled back. The bus writes to the same database inside the
     * call's savepoint, so the rollback has already removed the events: nothing is left to do.
     */
    truncate(_count: number): void {},
    /** Validates the payload against the event's fields and publishes it. */
    publish(
      schema: Schema,
      store: RecordStore,
      obj: ObjectDef,
      body: unknown,
      userId: string,
      _now: Date,
    ): PublishResult {
      const fields = readInput(schema, store, obj, body, 'insert')
      const topic = bus.topicForObject(obj.name)
      if (!topic) throw errors.notFound()
      const id = makeId(obj.keyPrefix, store.nextSerial())
      const event = bus.publishFields(topic, fields, userId, id)
      // Current orgs publish asynchronously and say so in `errors`; success is in `success`.
      return {
        id,
        success: true,
        errors: [{ statusCode: 'OPERATION_ENQUEUED', message: event.eventUuid, fields: [] }],
      }
    },
  }
}
