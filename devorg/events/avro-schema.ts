// The Avro side of events: the schema Salesforce derives from an event's fields, its id (a
// fingerprint, so a changed definition gets a new id while old events keep theirs), and the
// codec. Longs are BigInt-backed: change event headers carry values above 2^53, which avsc's
// default long type refuses to decode.

import { createHash } from 'node:crypto'
import avro from 'avsc'
import type { FieldDef, ObjectDef } from '../rest/sobject-schema.ts'

type AvroField = { name: string; type: unknown; doc?: string; default?: unknown }
export type AvroRecordSchema = { type: 'record'; name: string; namespace: string; fields: AvroField[] }

export const EVENT_NAMESPACE = 'com.sforce.eventbus'

/** Encodes numbers and BigInts alike; decodes to a number when it is exact, else a BigInt. */
export const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => {
    const n = buf.readBigInt64LE()
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
  },
  toBuffer: (n: number | bigint) => {
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(BigInt(n))
    return buf
  },
  fromJSON: (n: unknown) => BigInt(n as string),
  toJSON: (n: number | bigint) => (typeof n === 'bigint' ? n.toString() : n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isSafeInteger(n)),
  compare: (a: number | bigint, b: number | bigint) => (a === b ? 0 : a < b ? -1 : 1),
})

/** The Avro type of one custom field, nullable as Salesforce writes them. */
export function avroFieldType(field: FieldDef): unknown {
  switch (field.kind) {
    case 'number':
      return 'double'
    case 'boolean':
      return 'boolean'
    case 'date':
      return { type: 'int', logicalType: 'date' }
    case 'datetime':
      return 'long'
    default:
      return 'string'
  }
}

function docFor(field: FieldDef): string {
  return `Data:${field.type}`
}

/** The platform event schema: CreatedDate and CreatedById, then each custom field as a nullable union. */
export function platformEventSchema(obj: ObjectDef): AvroRecordSchema {
  const custom = obj.fields.filter((f) => f.custom)
  return {
    type: 'record',
    name: obj.name,
    namespace: EVENT_NAMESPACE,
    fields: [
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      ...custom.map((f) => ({
        name: f.name,
        type: ['null', avroFieldType(f)],
        doc: docFor(f),
        default: null,
      })),
    ],
  }
}

/** 22 base64url characters of a SHA-256 over the schema's JSON: stable for an unchanged definition. */
export function schemaIdOf(schema: AvroRecordSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('base64url').slice(0, 22)
}

export type EventCodec = {
  schemaId: string
  /** The schema as GetSchema returns it (with its id as `uuid`, as Salesforce's carry one). */
  json: string
  type: avro.Type
}

export function codecFor(schema: AvroRecordSchema, schemaId = schemaIdOf(schema)): EventCodec {
  return {
    schemaId,
    json: JSON.stringify({ ...schema, uuid: schemaId }),
    type: avro.Type.forSchema(schema as avro.Schema, { registry: { long: bigIntLong } }),
  }
}

/** Parses a stored schema JSON back into a codec (events keep the schema they were written with). */
export function codecFromJson(schemaId: string, json: string): EventCodec {
  const { uuid: _uuid, ...schema } = JSON.parse(json) as AvroRecordSchema & { uuid?: string }
  return {
    schemaId,
    json,
    type: avro.Type.forSchema(schema as avro.Schema, { registry: { long: bigIntLong } }),
  }
}
