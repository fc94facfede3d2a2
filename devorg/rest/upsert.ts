// Upsert by external ID: `PATCH /sobjects/<Obj>/<ExtField>/<value>`. Inserts on no match,
// updates one match, refuses to guess between several (300 with the candidates' URLs).

import { UPSERT_BODY_SINCE } from './api-versions.ts'
import { coerceValue } from './field-values.ts'
import { normalizeId } from './record-id.ts'
import { findByField, readInput } from './record-input.ts'
import { recordUrl } from './record-shape.ts'
import { accessOf, editableRecord, insertData, updateData, type WriteContext } from './record-writer.ts'
import { errors, multipleChoices } from './rest-errors.ts'
import type { FieldDef, ObjectDef } from './sobject-schema.ts'

export type UpsertOptions = { version: string; major: number; updateOnly: boolean }
export type SaveResult = { id: string; success: true; errors: never[]; created?: boolean }
export type UpsertOutcome = { status: 200 | 201 | 204; body: SaveResult | null }

/** The external ID field named in the URL, or the error Salesforce gives for it. */
export function externalIdField(ctx: WriteContext, obj: ObjectDef, name: string): FieldDef {
  const field = ctx.schema.field(obj, name)
  if (!field) throw errors.notFound()
  if (!field.externalId && field.kind !== 'id') {
    throw errors.invalidField(`${field.name} is not an External ID or indexed field for ${obj.name}`, [
      field.name,
    ])
  }
  return field
}

export function upsert(
  ctx: WriteContext,
  obj: ObjectDef,
  fieldName: string,
  rawValue: string,
  body: unknown,
  opts: UpsertOptions,
): UpsertOutcome {
  if (!obj.createable || !obj.updateable) throw errors.invalidTypeForOperation(obj.name, 'upsert')
  return ctx.store.transaction(() => {
    const field = externalIdField(ctx, obj, fieldName)
    const input = readInput(ctx.schema, ctx.store, obj, body, 'update')
    const withBody = (created: boolean, id: string): UpsertOutcome =>
      created
        ? {
            status: 201,
            body: { id, success: true, errors: [], ...(opts.major >= UPSERT_BODY_SINCE ? { created } : {}) },
          }
        : opts.major >= UPSERT_BODY_SINCE
          ? { status: 200, body: { id, success: true, errors: [], created } }
          : { status: 204, body: null }

    if (field.kind === 'id') {
      const id = normalizeId(rawValue)
      if (!id) throw errors.notFound()
      updateData(ctx, obj, editableRecord(ctx, obj, id), input)
      return withBody(false, id)
    }
    const value = coerceValue(field, rawValue)
    const inBody = input[field.name]
    if (inBody !== undefined && inBody !== value) {
      throw errors.invalidField(`The ${field.name} in the body does not match the value in the URL`, [
        field.name,
      ])
    }
    const matches = findByField(ctx.store, obj, field, value)
    if (matches.length > 1) throw multipleChoices(matches.map((m) => recordUrl(opts.version, obj.name, m.id)))
    const match = matches[0]
    if (match) {
      accessOf(ctx).checkEdit(match.sobject, match.data)
      updateData(ctx, obj, match, input)
      return withBody(false, match.id)
    }
    if (opts.updateOnly) throw errors.notFound()
    return withBody(true, insertData(ctx, obj, { ...input, [field.name]: value }))
  })
}
