// Navigating query rows: a record with its object, its parents through lookups, and the
// value at a dotted path.

import type { StoredValue } from './field-values.ts'
import type { RecordData, RecordStore } from './record-store.ts'
import type { FieldDef, ObjectDef, Schema } from './sobject-schema.ts'

export type QueryEnv = {
  schema: Schema
  store: RecordStore
  version: string
  includeDeleted: boolean
  now: () => Date
  /** Sharing: rows the caller may not see are not there for them. Absent: every row. */
  canRead?: (sobject: string, data: RecordData) => boolean
}

export type Row = { obj: ObjectDef; data: RecordData }

export function parentRow(env: QueryEnv, row: Row, relationship: string): Row | null {
  const lookup = env.schema.parentRelationship(row.obj, relationship)
  const id = lookup ? row.data[lookup.name] : null
  if (typeof id !== 'string') return null
  const rec = env.store.get(id)
  const obj = rec && !rec.deleted ? env.schema.object(rec.sobject) : undefined
  return rec && obj ? { obj, data: rec.data } : null
}

export function valueAt(
  env: QueryEnv,
  row: Row,
  path: string[],
): { value: StoredValue; field: FieldDef | undefined } {
  const [head, ...rest] = path
  if (head === undefined) return { value: null, field: undefined }
  if (rest.length === 0) {
    const field = env.schema.field(row.obj, head)
    return { value: field ? (row.data[field.name] ?? null) : null, field }
  }
  const parent = parentRow(env, row, head)
  return parent ? valueAt(env, parent, rest) : { value: null, field: undefined }
}
