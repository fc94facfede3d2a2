// Field values between the two forms an event takes: the REST form (what a REST publish sends
// and describe documents: datetimes as `2026-01-31T12:00:00.000+0000`, dates as `2026-01-31`)
// and the Avro form subscribers decode (datetimes as epoch ms, dates as days since the epoch).

import { formatDateTime, parseDateTime } from '../rest/field-values.ts'
import type { FieldDef, ObjectDef } from '../rest/sobject-schema.ts'

const DAY_MS = 86_400_000

export type RestFields = Record<string, string | number | boolean | null>

function toAvroValue(field: FieldDef, value: unknown): unknown {
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

function toRestValue(field: FieldDef, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null
  switch (field.kind) {
    case 'date':
      return new Date(Number(value) * DAY_MS).toISOString().slice(0, 10)
    case 'datetime':
      return formatDateTime(new Date(Number(value)))
    case 'number':
    case 'boolean':
      return value as number | boolean
    default:
      return typeof value === 'bigint' ? value.toString() : String(value)
  }
}

function customFields(obj: ObjectDef): FieldDef[] {
  return obj.fields.filter((f) => f.custom)
}

/** The Avro record for a platform event whose custom fields are in REST form. */
export function avroRecordOf(
  obj: ObjectDef,
  fields: RestFields,
  createdMs: number,
  createdById: string,
): Record<string, unknown> {
  const record: Record<string, unknown> = { CreatedDate: createdMs, CreatedById: createdById }
  for (const f of customFields(obj)) record[f.name] = toAvroValue(f, fields[f.name])
  return record
}

/** The REST form of a decoded platform event's custom fields. */
export function restFieldsOf(obj: ObjectDef, record: Record<string, unknown>): RestFields {
  const out: RestFields = {}
  for (const f of customFields(obj)) {
    if (f.name in record) out[f.name] = toRestValue(f, record[f.name])
  }
  return out
}
