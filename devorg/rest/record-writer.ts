// The write path shared by create, update, upsert and delete: validation, audit fields, derived
// fields and cascades, all inside one transaction.

import { formatDateTime } from './field-values.ts'
import { afterChange, CASCADES, deriveFields, type RuleContext } from './object-rules.ts'
import { makeId } from './record-id.ts'
import { missingRequired, readInput } from './record-input.ts'
import type { RecordData, RecordStore, StoredRecord } from './record-store.ts'
import { errors } from './rest-errors.ts'
import type { ObjectDef, Schema } from './sobject-schema.ts'

export type WriteContext = { schema: Schema; store: RecordStore; userId: string; now: () => Date }

function hasField(obj: ObjectDef, name: string): boolean {
  return obj.fields.some((f) => f.name === name)
}

/**
 * Inserts already-converted values; used by create, upsert and the dev org's own inserts.
 * Only the seed passes an `Id` (bodies cannot: it is read-only).
 */
export function insertData(ctx: WriteContext, obj: ObjectDef, input: RecordData): string {
  const at = formatDateTime(ctx.now())
  const id = typeof input.Id === 'string' ? input.Id : makeId(obj.keyPrefix, ctx.store.nextSerial())
  const data: RecordData = { Id: id }
  for (const f of obj.fields) if (f.name !== 'Id') data[f.name] = null
  Object.assign(data, input)
  if (hasField(obj, 'OwnerId')) data.OwnerId ??= ctx.userId
  Object.assign(data, {
    IsDeleted: false,
    CreatedDate: at,
    CreatedById: ctx.userId,
    LastModifiedDate: at,
    LastModifiedById: ctx.userId,
    SystemModstamp: at,
  })
  const missing = missingRequired(obj, data)
  if (missing.length > 0) throw errors.requiredMissing(missing)
  const rules: RuleContext = { store: ctx.store, at }
  deriveFields(obj.name, data, null, rules)
  ctx.store.insert(id, obj.name, data, at)
  afterChange(obj.name, data, rules)
  return id
}

export function createRecord(ctx: WriteContext, obj: ObjectDef, body: unknown): string {
  if (!obj.createable) throw errors.invalidTypeForOperation(obj.name, 'insert')
  return ctx.store.transaction(() =>
    insertData(ctx, obj, readInput(ctx.schema, ctx.store, obj, body, 'insert')),
  )
}

/** A live record of `obj`, or the REST error a client would get for it. */
export function liveRecord(ctx: WriteContext, obj: ObjectDef, id: string): StoredRecord {
  const rec = ctx.store.get(id)
  if (!rec || rec.sobject !== obj.name) throw errors.notFound()
  if (rec.deleted) throw errors.entityIsDeleted()
  return rec
}

export function updateData(ctx: WriteContext, obj: ObjectDef, rec: StoredRecord, input: RecordData): void {
  const at = formatDateTime(ctx.now())
  const data: RecordData = {
    ...rec.data,
    ...input,
    LastModifiedDate: at,
    LastModifiedById: ctx.userId,
    SystemModstamp: at,
  }
  const missing = missingRequired(obj, data)
  if (missing.length > 0) throw errors.requiredMissing(missing)
  const rules: RuleContext = { store: ctx.store, at }
  deriveFields(obj.name, data, rec.data, rules)
  ctx.store.update(rec.id, data, at)
  afterChange(obj.name, data, rules)
}

export function updateRecord(ctx: WriteContext, obj: ObjectDef, id: string, body: unknown): void {
  if (!obj.updateable) throw errors.invalidTypeForOperation(obj.name, 'update')
  ctx.store.transaction(() => {
    const rec = liveRecord(ctx, obj, id)
    updateData(ctx, obj, rec, readInput(ctx.schema, ctx.store, obj, body, 'update'))
  })
}

function cascadeDelete(ctx: WriteContext, rec: StoredRecord, at: string): void {
  ctx.store.update(rec.id, { ...rec.data, IsDeleted: true, SystemModstamp: at }, at)
  ctx.store.markDeleted(rec.id, at)
  afterChange(rec.sobject, { ...rec.data, IsDeleted: true }, { store: ctx.store, at })
  const children = [
    ...(CASCADES[rec.sobject] ?? []),
    { sobject: 'ContentDocumentLink', field: 'LinkedEntityId' },
  ]
  for (const child of children) {
    for (const c of ctx.store.list(child.sobject, false)) {
      if (c.data[child.field] === rec.id) cascadeDelete(ctx, c, at)
    }
  }
}

export function deleteRecord(ctx: WriteContext, obj: ObjectDef, id: string): void {
  if (!obj.deletable) throw errors.invalidTypeForOperation(obj.name, 'delete')
  ctx.store.transaction(() => cascadeDelete(ctx, liveRecord(ctx, obj, id), formatDateTime(ctx.now())))
}
