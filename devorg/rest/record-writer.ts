// The write path shared by create, update, upsert and delete: validation, sharing, duplicate
// rules, audit fields, derived fields, cascades and change events, all inside one transaction.

import { formatDateTime } from './field-values.ts'
import { afterChange, CASCADES, deriveFields, type RuleContext } from './object-rules.ts'
import { type RecordAccess, SYSTEM_ACCESS } from './record-access.ts'
import { makeId } from './record-id.ts'
import { missingRequired, readInput } from './record-input.ts'
import type { RecordData, RecordStore, StoredRecord } from './record-store.ts'
import { errors } from './rest-errors.ts'
import type { ObjectDef, Schema } from './sobject-schema.ts'

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE'

/** One saved record, as Change Data Capture reports it: after the save, with what changed. */
export type RecordChange = {
  obj: ObjectDef
  changeType: ChangeType
  id: string
  data: RecordData
  /** Fields whose value the save changed (UPDATE only). */
  changedFields: string[]
}

export type WriteContext = {
  schema: Schema
  store: RecordStore
  userId: string
  now: () => Date
  /** What the caller may see and touch; absent: everything (the org's own writes, the seed). */
  access?: RecordAccess
  /** Duplicate rules, checked before a record is stored; absent: none. */
  checkDuplicates?: (obj: ObjectDef, data: RecordData) => void
  /** Told of every saved record, inside the save's transaction (change events). */
  onChange?: (change: RecordChange) => void
}

export function accessOf(ctx: WriteContext): RecordAccess {
  return ctx.access ?? SYSTEM_ACCESS
}

function changed(prior: RecordData, next: RecordData): string[] {
  return Object.keys(next).filter((k) => JSON.stringify(prior[k] ?? null) !== JSON.stringify(next[k] ?? null))
}

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
  accessOf(ctx).checkInsert(obj.name, data)
  ctx.checkDuplicates?.(obj, data)
  ctx.store.insert(id, obj.name, data, at)
  afterChange(obj.name, data, rules)
  ctx.onChange?.({ obj, changeType: 'CREATE', id, data, changedFields: [] })
  return id
}

export function createRecord(ctx: WriteContext, obj: ObjectDef, body: unknown): string {
  if (!obj.createable) throw errors.invalidTypeForOperation(obj.name, 'insert')
  return ctx.store.transaction(() =>
    insertData(ctx, obj, readInput(ctx.schema, ctx.store, obj, body, 'insert')),
  )
}

/** A live record of `obj` whatever its sharing, or the REST error a client would get for it. */
export function existingRecord(ctx: WriteContext, obj: ObjectDef, id: string): StoredRecord {
  const rec = ctx.store.get(id)
  if (!rec || rec.sobject !== obj.name) throw errors.notFound()
  if (rec.deleted) throw errors.entityIsDeleted()
  return rec
}

/** A live record the caller may see; one hidden by sharing does not exist for them. */
export function liveRecord(ctx: WriteContext, obj: ObjectDef, id: string): StoredRecord {
  const rec = existingRecord(ctx, obj, id)
  if (!accessOf(ctx).canRead(rec.sobject, rec.data)) throw errors.notFound()
  return rec
}

/** A live record the caller may edit; writes to others answer INSUFFICIENT_ACCESS_OR_READONLY. */
export function editableRecord(ctx: WriteContext, obj: ObjectDef, id: string): StoredRecord {
  const rec = existingRecord(ctx, obj, id)
  accessOf(ctx).checkEdit(rec.sobject, rec.data)
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
  ctx.checkDuplicates?.(obj, data)
  ctx.store.update(rec.id, data, at)
  afterChange(obj.name, data, rules)
  const fields = changed(rec.data, data)
  ctx.onChange?.({ obj, changeType: 'UPDATE', id: rec.id, data, changedFields: fields })
}

export function updateRecord(ctx: WriteContext, obj: ObjectDef, id: string, body: unknown): void {
  if (!obj.updateable) throw errors.invalidTypeForOperation(obj.name, 'update')
  ctx.store.transaction(() => {
    const rec = editableRecord(ctx, obj, id)
    updateData(ctx, obj, rec, readInput(ctx.schema, ctx.store, obj, body, 'update'))
  })
}

function cascadeDelete(ctx: WriteContext, rec: StoredRecord, at: string): void {
  ctx.store.update(rec.id, { ...rec.data, IsDeleted: true, SystemModstamp: at }, at)
  ctx.store.markDeleted(rec.id, at)
  const obj = ctx.schema.object(rec.sobject)
  if (obj) ctx.onChange?.({ obj, changeType: 'DELETE', id: rec.id, data: rec.data, changedFields: [] })
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
  ctx.store.transaction(() => {
    const rec = existingRecord(ctx, obj, id)
    accessOf(ctx).checkDelete(rec.sobject, rec.data)
    cascadeDelete(ctx, rec, formatDateTime(ctx.now()))
  })
}
