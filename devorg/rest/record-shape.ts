// Records as the REST API returns them: an `attributes` header, then fields in API casing.

import type { StoredValue } from './field-values.ts'
import type { RecordData } from './record-store.ts'
import type { FieldDef, ObjectDef } from './sobject-schema.ts'

export type RestRecord = { attributes: { type: string; url: string }; [field: string]: unknown }

export function recordUrl(version: string, sobject: string, id: string): string {
  return `/services/data/v${version}/sobjects/${sobject}/${id}`
}

/** Blob fields are never inlined: the record carries the URL that streams the bytes. */
export function fieldValue(version: string, obj: ObjectDef, field: FieldDef, data: RecordData): StoredValue {
  const value = data[field.name] ?? null
  if (field.kind !== 'base64') return value
  const id = data.Id
  return value === null || typeof id !== 'string' ? null : `${recordUrl(version, obj.name, id)}/${field.name}`
}

export function shapeRecord(
  version: string,
  obj: ObjectDef,
  data: RecordData,
  fields?: FieldDef[],
): RestRecord {
  const id = typeof data.Id === 'string' ? data.Id : ''
  const out: RestRecord = { attributes: { type: obj.name, url: recordUrl(version, obj.name, id) } }
  for (const f of fields ?? obj.fields) out[f.name] = fieldValue(version, obj, f, data)
  return out
}
