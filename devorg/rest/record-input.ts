// Turns a JSON request body into stored field values for one object: canonical field names,
// coerced values, parents resolved, and the checks Salesforce makes before it saves anything.

import { coerceValue, compareKey, type StoredValue } from './field-values.ts'
import { keyPrefixOf } from './record-id.ts'
import type { RecordData, RecordStore, StoredRecord } from './record-store.ts'
import { errors, RestError } from './rest-errors.ts'
import type { FieldDef, ObjectDef, Schema } from './sobject-schema.ts'

export type InputMode = 'insert' | 'update'

/** Live (not deleted) records of `obj` whose `field` equals `value`, compared as SOQL would. */
export function findByField(
  store: RecordStore,
  obj: ObjectDef,
  field: FieldDef,
  value: StoredValue,
): StoredRecord[] {
  const key = compareKey(value)
  return store.list(obj.name, false).filter((r) => compareKey(r.data[field.name] ?? null) === key)
}

/** `"Account": {"Ext__c": "A-1"}` in a body names the parent by its external ID. */
function resolveParentByExternalId(
  schema: Schema,
  store: RecordStore,
  lookup: FieldDef,
  value: unknown,
): string {
  const parent = lookup.referenceTo[0] ? schema.object(lookup.referenceTo[0]) : undefined
  const entries =
    value && typeof value === 'object' ? Object.entries(value).filter(([k]) => k !== 'attributes') : []
  const [entry] = entries
  if (!parent || entries.length !== 1 || !entry) {
    throw errors.invalidField(`Invalid foreign key reference on ${lookup.relationshipName}`, [lookup.name])
  }
  const [extName, extValue] = entry
  const extField = schema.field(parent, extName)
  if (!extField || !(extField.externalId || extField.kind === 'id')) {
    throw errors.invalidField(`${extName} is not an External ID field on ${parent.name}`, [lookup.name])
  }
  const matches = findByField(store, parent, extField, coerceValue(extField, extValue))
  if (matches.length > 1) {
    throw new RestError(400, [
      {
        message: `Foreign key external ID: ${String(extValue)} matched more than one record`,
        errorCode: 'DUPLICATE_EXTERNAL_ID',
        fields: [lookup.name],
      },
    ])
  }
  const match = matches[0]
  if (!match) {
    throw errors.invalidField(
      `Foreign key external ID: ${String(extValue)} not found for field ${extField.name} in entity ${parent.name}`,
      [lookup.name],
    )
  }
  return match.id
}

function checkReference(schema: Schema, store: RecordStore, field: FieldDef, id: string): void {
  const targets = field.referenceTo.filter((t) => schema.object(t))
  // Users (and price books) live outside this slice: their ids are taken on trust.
  if (targets.length === 0 || (field.referenceTo.includes('User') && keyPrefixOf(id) === '005')) return
  const target = store.get(id)
  if (!target || target.deleted || !targets.includes(target.sobject)) {
    throw errors.invalidCrossReference(field.name, id)
  }
}

/** Validates and converts a body; read-only fields are the dev org's to set, never a body's. */
export function readInput(
  schema: Schema,
  store: RecordStore,
  obj: ObjectDef,
  body: unknown,
  mode: InputMode,
): RecordData {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.jsonParser('The request body must be a JSON object')
  }
  const out: RecordData = {}
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue
    const field = schema.field(obj, key)
    if (!field) {
      const lookup = schema.parentRelationship(obj, key)
      if (lookup && raw && typeof raw === 'object') {
        out[lookup.name] = resolveParentByExternalId(schema, store, lookup, raw)
        continue
      }
      throw errors.noSuchField(key, obj.name)
    }
    if (field.kind === 'id' && mode === 'update') continue
    // Blob bodies only arrive through the upload path, which takes them out of the body first.
    if (field.readOnly || field.kind === 'base64') throw errors.readOnlyField(field.name)
    const value = coerceValue(field, raw)
    if (field.kind === 'reference' && typeof value === 'string') checkReference(schema, store, field, value)
    out[field.name] = value
  }
  return out
}

/** Required fields absent (insert) or cleared (update), in schema order. */
export function missingRequired(obj: ObjectDef, merged: RecordData): string[] {
  return obj.fields
    .filter((f) => f.required && (merged[f.name] === null || merged[f.name] === undefined))
    .map((f) => f.name)
}
