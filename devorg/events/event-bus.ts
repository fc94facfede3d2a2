// The org's event bus: every published event (REST or Pub/Sub API) lands in one SQLite table,
// in publish order, with its EventUuid, CreatedDate, CreatedById and the Avro payload that
// subscribers receive. Events older than the retention window (72 hours, as Salesforce keeps
// high-volume events) are purged as a prefix, and the purge horizon is remembered so a replay
// id from before it is refused rather than silently skipping what was lost.

import { randomInt, randomUUID } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'
import { formatDateTime } from '../rest/field-values.ts'
import type { Schema } from '../rest/sobject-schema.ts'
import { codecFromJson, type EventCodec } from './avro-schema.ts'
import {
  CHANGE_EVENTS_TOPIC,
  type ChangeHeader,
  changeEventRecord,
  changeEventTopicName,
  type RecordChangeInput,
} from './change-events.ts'
import { avroRecordOf, type RestFields, restFieldsOf } from './event-values.ts'
import { decodeReplayId, encodeReplayId, MAX_GENERATION } from './replay-id.ts'
import { buildTopics, platformEventTopicName, type Topic } from './topics.ts'

export const DEFAULT_RETENTION_MS = 72 * 3600 * 1000
/** Salesforce's per-event limit; larger events fail alone in their batch. */
export const MAX_EVENT_BYTES = 1024 * 1024

export type StoredEvent = {
  sequence: number
  replayId: Buffer
  topic: string
  eventUuid: string
  schemaId: string
  payload: Buffer
  createdMs: number
  createdById: string
  /** The `e00…` id a REST publish answered with; null for Pub/Sub API publishes. */
  recordId: string | null
  /** Custom fields in REST form, with the standard fields, for readers of the log. */
  fields: Record<string, unknown>
}

/** Where a CUSTOM replay id puts a subscription, or why it cannot. */
export type ReplayCheck = { sequence: number } | { error: 'corrupted' | 'expired' }

export type EventBusOptions = {
  db: DatabaseSync
  schema: Schema
  retentionMs?: number
  now?: () => number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS event_bus_events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  event_uuid TEXT NOT NULL,
  schema_id TEXT NOT NULL,
  payload BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  record_id TEXT,
  fields TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_bus_events_by_topic ON event_bus_events (topic, sequence);
CREATE INDEX IF NOT EXISTS event_bus_events_by_time ON event_bus_events (created_ms);
CREATE TABLE IF NOT EXISTS event_bus_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_bus_schemas (
  schema_id TEXT PRIMARY KEY,
  topic TEXT NOT NULL,
  schema_json TEXT NOT NULL
);
`

type Row = {
  sequence: number
  topic: string
  event_uuid: string
  schema_id: string
  payload: Uint8Array
  created_ms: number
  created_by: string
  record_id: string | null
  fields: string
}

export type EventBus = ReturnType<typeof createEventBus>

export function createEventBus(options: EventBusOptions) {
  const { db } = options
  const now = options.now ?? Date.now
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS
  db.exec(SCHEMA)
  const readState = (key: string): string | undefined =>
    (db.prepare('SELECT value FROM event_bus_state WHERE key = ?').get(key) as { value: string } | undefined)
      ?.value
  const writeState = (key: string, value: string): void => {
    db.prepare(
      'INSERT INTO event_bus_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value)
  }
  const topics = buildTopics(options.schema)
  const saveSchema = db.prepare(
    'INSERT INTO event_bus_schemas (schema_id, topic, schema_json) VALUES (?, ?, ?) ON CONFLICT(schema_id) DO NOTHING',
  )
  // The all-objects change channel reuses its objects' schemas: they are registered under theirs.
  const ownSchemas = [...topics.values()].filter((t) => t.name !== CHANGE_EVENTS_TOPIC)
  for (const t of ownSchemas) saveSchema.run(t.codec.schemaId, t.name, t.codec.json)

  let generation = Number(readState('eventbus.generation') ?? '0')
  if (!(generation >= 1 && generation <= MAX_GENERATION)) {
    generation = randomInt(1, MAX_GENERATION + 1)
    writeState('eventbus.generation', String(generation))
  }

  const insert = db.prepare(
    `INSERT INTO event_bus_events (topic, event_uuid, schema_id, payload, created_ms, created_by, record_id, fields)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const selectAfter = db.prepare(
    'SELECT * FROM event_bus_events WHERE topic = ? AND sequence > ? ORDER BY sequence LIMIT ?',
  )
  const selectAll = db.prepare('SELECT * FROM event_bus_events ORDER BY sequence')
  const selectLatest = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'event_bus_events'")
  const selectExpired = db.prepare('SELECT MAX(sequence) AS last FROM event_bus_events WHERE created_ms < ?')
  const deleteThrough = db.prepare('DELETE FROM event_bus_events WHERE sequence <= ?')
  const selectSchema = db.prepare('SELECT schema_json, topic FROM event_bus_schemas WHERE schema_id = ?')

  const codecs = new Map<string, { codec: EventCodec; topic: string }>()
  for (const t of ownSchemas) codecs.set(t.codec.schemaId, { codec: t.codec, topic: t.name })
  const listeners = new Set<(topic: string) => void>()
  let notifyScheduled = new Set<string>()

  function toEvent(row: Row): StoredEvent {
    return {
      sequence: row.sequence,
      replayId: encodeReplayId(generation, row.sequence),
      topic: row.topic,
      eventUuid: row.event_uuid,
      schemaId: row.schema_id,
      payload: Buffer.from(row.payload),
      createdMs: row.created_ms,
      createdById: row.created_by,
      recordId: row.record_id,
      fields: {
        ...(JSON.parse(row.fields) as Record<string, unknown>),
        ReplayId: replayDecimal(row.sequence),
      },
    }
  }

  function replayDecimal(sequence: number): string {
    return encodeReplayId(generation, sequence).readBigUInt64BE().toString()
  }

  function codecById(schemaId: string): { codec: EventCodec; topic: string } | undefined {
    const known = codecs.get(schemaId)
    if (known) return known
    const row = selectSchema.get(schemaId) as { schema_json: string; topic: string } | undefined
    if (!row) return undefined
    const found = { codec: codecFromJson(schemaId, row.schema_json), topic: row.topic }
    codecs.set(schemaId, found)
    return found
  }

  function latestSequence(): number {
    const row = selectLatest.get() as { seq: number } | undefined
    return row?.seq ?? 0
  }

  function horizon(): number {
    return Number(readState('eventbus.purgedThrough') ?? '0')
  }

  /** Drops events past the retention window (as a prefix of the stream) and moves the horizon. */
  function purge(): void {
    const row = selectExpired.get(now() - retentionMs) as { last: number | null }
    if (row.last === null) return
    deleteThrough.run(row.last)
    if (row.last > horizon()) writeState('eventbus.purgedThrough', String(row.last))
  }

  // Subscribers are told after the current synchronous work ends, so an event written inside a
  // transaction that then rolls back (an allOrNone composite call) is never read by anyone.
  function notify(topic: string): void {
    if (notifyScheduled.size === 0) {
      setImmediate(() => {
        const due = notifyScheduled
        notifyScheduled = new Set()
        for (const t of due) for (const l of listeners) l(t)
      })
    }
    notifyScheduled.add(topic)
  }

  /** What a change event states itself instead of a platform event's own fields. */
  type Stamp = { fields: Record<string, unknown>; eventUuid: string; createdMs: number; createdById: string }

  function append(
    topic: Topic,
    codec: EventCodec,
    record: Record<string, unknown>,
    recordId: string | null,
    stamp?: Stamp,
  ): StoredEvent {
    purge()
    const eventUuid = stamp?.eventUuid ?? randomUUID()
    const payload = codec.type.toBuffer(record)
    const createdMs = stamp?.createdMs ?? Number(record.CreatedDate)
    const createdById = stamp?.createdById ?? String(record.CreatedById)
    const fields: Record<string, unknown> = {
      ...(stamp?.fields ?? restFieldsOf(topic.object, record)),
      CreatedDate: formatDateTime(new Date(createdMs)),
      CreatedById: createdById,
      EventUuid: eventUuid,
    }
    const result = insert.run(
      topic.name,
      eventUuid,
      codec.schemaId,
      payload,
      createdMs,
      createdById,
      recordId,
      JSON.stringify(fields),
    )
    const sequence = Number(result.lastInsertRowid)
    const replayId = encodeReplayId(generation, sequence)
    fields.ReplayId = replayDecimal(sequence)
    notify(topic.name)
    return {
      sequence,
      replayId,
      topic: topic.name,
      eventUuid,
      schemaId: codec.schemaId,
      payload,
      createdMs,
      createdById,
      recordId,
      fields,
    }
  }

  return {
    topic: (name: string): Topic | undefined => topics.get(name),
    topicForObject: (objectName: string): Topic | undefined => topics.get(platformEventTopicName(objectName)),
    /** Any schema an event of this org was written with, current or not. */
    codec: codecById,
    /** A REST publish: custom fields already validated and in REST form. */
    publishFields(
      topic: Topic,
      fields: RestFields,
      createdById: string,
      recordId: string | null,
    ): StoredEvent {
      const record = avroRecordOf(topic.object, fields, now(), createdById)
      return append(topic, topic.codec, record, recordId)
    },
    /**
     * A Pub/Sub API publish of an Avro payload. The org, not the publisher, stamps CreatedDate
     * and CreatedById. Throws an Error whose message is the per-event failure.
     */
    publishAvro(topic: Topic, schemaId: string, payload: Uint8Array, createdById: string): StoredEvent {
      const found = codecById(schemaId)
      if (!found || found.topic !== topic.name)
        throw new Error(`schema ${schemaId} is not a schema of ${topic.name}`)
      if (payload.length > MAX_EVENT_BYTES) throw new Error('event larger than 1 MB')
      let record: Record<string, unknown>
      try {
        record = found.codec.type.fromBuffer(Buffer.from(payload)) as Record<string, unknown>
      } catch (error) {
        throw new Error(`payload does not match schema ${schemaId}: ${(error as Error).message}`)
      }
      return append(topic, found.codec, { ...record, CreatedDate: now(), CreatedById: createdById }, null)
    },
    /** Whether saves of this object publish change events (it is selected for Change Data Capture). */
    capturesChanges: (objectName: string): boolean => topics.has(changeEventTopicName(objectName)),
    /**
     * The change event of a record saved in the caller's transaction, on its object's channel and
     * on `/data/ChangeEvents` under one EventUuid; null when the object is not selected.
     */
    publishChange(
      change: RecordChangeInput,
      header: Pick<
        ChangeHeader,
        | 'changeOrigin'
        | 'transactionKey'
        | 'sequenceNumber'
        | 'commitTimestamp'
        | 'commitNumber'
        | 'commitUser'
      >,
    ): StoredEvent | null {
      const topic = topics.get(changeEventTopicName(change.obj.name))
      if (!topic) return null
      const built = changeEventRecord(change, header)
      const stamp: Stamp = {
        fields: built.fields,
        eventUuid: randomUUID(),
        createdMs: header.commitTimestamp,
        createdById: header.commitUser,
      }
      const event = append(topic, topic.codec, built.record, null, stamp)
      const all = topics.get(CHANGE_EVENTS_TOPIC)
      if (all) append(all, topic.codec, built.record, null, stamp)
      return event
    },
    /** Up to `limit` events of `topic` after `sequence`, oldest first. */
    after(topic: string, sequence: number, limit: number): StoredEvent[] {
      return (selectAfter.all(topic, sequence, limit) as Row[]).map(toEvent)
    },
    /** Every retained event, oldest first. */
    all(): StoredEvent[] {
      return (selectAll.all() as Row[]).map(toEvent)
    },
    latestSequence,
    /** Sequence of the last purged event: EARLIEST starts after it. */
    horizon(): number {
      purge()
      return horizon()
    },
    replayIdOf: (sequence: number): Buffer => encodeReplayId(generation, sequence),
    /** Where a client's replay id resumes, or why it is refused. */
    checkReplayId(bytes: Uint8Array): ReplayCheck {
      const position = decodeReplayId(bytes)
      if (!position || position.generation !== generation || position.sequence > latestSequence())
        return { error: 'corrupted' }
      purge()
      if (position.sequence < horizon()) return { error: 'expired' }
      return { sequence: position.sequence }
    },
    /** Calls `listener(topic)` after events were appended to `topic`; returns the unsubscribe. */
    onAppend(listener: (topic: string) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
