// Change Data Capture: the `<Object>ChangeEvent` Salesforce publishes when a record of a
// selected object is created, updated or deleted. The Avro schema puts `ChangeEventHeader` first,
// then every field of the object as a nullable union; the header's changedFields, nulledFields
// and diffFields travel as hex bitmaps over the schema's field order (bit i is field i), which
// is what Pub/Sub API clients decode back into names.

import { parseDateTime } from '../rest/field-values.ts'
import type { RecordData } from '../rest/record-store.ts'
import type { FieldDef, ObjectDef } from '../rest/sobject-schema.ts'
import { type AvroRecordSchema, avroFieldType, EVENT_NAMESPACE } from './avro-schema.ts'

export const CHANGE_EVENTS_TOPIC = '/data/ChangeEvents'

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE'

/** The header fields a change event carries besides the record's. */
export type ChangeHeader = {
  entityName: string
  recordIds: string[]
  changeType: ChangeType
  changeOrigin: string
  transactionKey: string
  sequenceNumber: number
  commitTimestamp: number
  commitNumber: bigint
  commitUser: string
  nulledFields: string[]
  diffFields: string[]
  changedFields: string[]
}

export function changeEventName(objectName: string): string {
  return `${objectName.replace(/__c$/, '__')}ChangeEvent`
}

export function changeEventTopicName(objectName: string): string {
  return `/data/${changeEventName(objectName)}`
}

const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
  'SNAPSHOT',
]

const HEADER_SCHEMA = {
  type: 'record',
  name: 'ChangeEventHeader',
  namespace: EVENT_NAMESPACE,
  fields: [
    { name: 'entityName', type: 'string' },
    { name: 'recordIds', type: { type: 'array', items: 'string' } },
    {
      name: 'changeType',
      type: { type: 'enum', name: 'ChangeType', namespace: EVENT_NAMESPACE, symbols: CHANGE_TYPES },
    },
    { name: 'changeOrigin', type: 'string' },
    { name: 'transactionKey', type: 'string' },
    { name: 'sequenceNumber', type: 'int' },
    { name: 'commitTimestamp', type: 'long' },
    { name: 'commitNumber', type: 'long' },
    { name: 'commitUser', type: 'string' },
    { name: 'nulledFields', type: { type: 'array', items: 'string' } },
    { name: 'diffFields', type: { type: 'array', items: 'string' } },
    { name: 'changedFields', type: { type: 'array', items: 'string' } },
  ],
}

/** The record's fields in the event: the id travels in `recordIds`, blobs never travel. */
export function changeEventFields(obj: ObjectDef): FieldDef[] {
  return obj.fields.filter(
    (f) => f.kind !== 'id' && f.kind !== 'base64' && f.name !== 'IsDeleted' && f.name !== 'SystemModstamp',
  )
}

export function changeEventSchema(obj: ObjectDef): AvroRecordSchema {
  return {
    type: 'record',
    name: changeEventName(obj.name),
    namespace: EVENT_NAMESPACE,
    fields: [
      { name: 'ChangeEventHeader', type: HEADER_SCHEMA, doc: 'Data:ComplexValueType' },
      ...changeEventFields(obj).map((f) => ({
        name: f.name,
        type: ['null', avroFieldType(f)],
        doc: `Data:${f.type}`,
        default: null,
      })),
    ],
  }
}

const DAY_MS = 86_400_000

function avroValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (field.kind) {
    case 'date':
      return Math.floor(Date.parse(`${String(value)}T00:00:00Z`) / DAY_MS)
    case 'datetime':
      return parseDateTime(String(value))?.getTime() ?? null
    case 'number':
      return Number(value)
    case 'boolean':
      return Boolean(value)
    default:
      return String(value)
  }
}

/** `0x…` with bit i set for each field index i (bit 0 is the header itself, never set). */
function bitmap(indexes: number[]): string[] {
  if (indexes.length === 0) return []
  let bits = 0n
  for (const i of indexes) bits |= 1n << BigInt(i)
  return [`0x${bits.toString(16).toUpperCase()}`]
}

export type RecordChangeInput = {
  obj: ObjectDef
  changeType: ChangeType
  id: string
  data: RecordData
  changedFields: string[]
}

/**
 * The Avro record of one change: CREATE carries every set field, UPDATE the changed ones,
 * DELETE none. Also returns the header with field names (not bitmaps) for readers of the log.
 */
export function changeEventRecord(
  change: RecordChangeInput,
  header: Omit<
    ChangeHeader,
    'entityName' | 'recordIds' | 'changeType' | 'nulledFields' | 'diffFields' | 'changedFields'
  >,
): { record: Record<string, unknown>; header: ChangeHeader; fields: Record<string, unknown> } {
  const fields = changeEventFields(change.obj)
  const record: Record<string, unknown> = {}
  const restFields: Record<string, unknown> = {}
  const changedIdx: number[] = []
  const nulledIdx: number[] = []
  const changedNames: string[] = []
  const nulledNames: string[] = []
  fields.forEach((f, i) => {
    const position = i + 1
    const value = change.data[f.name] ?? null
    const carried =
      change.changeType === 'CREATE'
        ? value !== null
        : change.changeType === 'UPDATE' && change.changedFields.includes(f.name)
    record[f.name] = carried ? avroValue(f, value) : null
    if (carried) restFields[f.name] = value
    if (change.changeType !== 'UPDATE' || !change.changedFields.includes(f.name)) return
    changedIdx.push(position)
    changedNames.push(f.name)
    if (value === null) {
      nulledIdx.push(position)
      nulledNames.push(f.name)
    }
  })
  const full: ChangeHeader = {
    entityName: change.obj.name,
    recordIds: [change.id],
    changeType: change.changeType,
    ...header,
    nulledFields: nulledNames,
    diffFields: [],
    changedFields: changedNames,
  }
  record.ChangeEventHeader = {
    ...full,
    nulledFields: bitmap(nulledIdx),
    diffFields: [],
    changedFields: bitmap(changedIdx),
  }
  return {
    record,
    header: full,
    fields: { ChangeEventHeader: { ...full, commitNumber: full.commitNumber.toString() }, ...restFields },
  }
}
