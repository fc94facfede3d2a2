// sObject Collections (`/composite/sobjects`): create, update, upsert, delete and retrieve up
// to 200 records in one call. Inside collections an error names its code `statusCode`, and
// `allOrNone` rolls every record back when one fails.

import { keyPrefixOf, normalizeId } from './record-id.ts'
import { shapeRecord } from './record-shape.ts'
import { accessOf, createRecord, deleteRecord, updateRecord, type WriteContext } from './record-writer.ts'
import { errors, RestError } from './rest-errors.ts'
import { jsonBody, jsonResponse, type RestResponse } from './rest-exchange.ts'
import type { SobjectContext } from './sobject-routes.ts'
import type { ObjectDef } from './sobject-schema.ts'
import { upsert } from './upsert.ts'

export const MAX_COLLECTION = 200

/** Extra keys of an error (a duplicate result) travel beside `statusCode`, as Salesforce sends them. */
type ItemError = { statusCode: string; message: string; fields: string[]; [extra: string]: unknown }
type ItemResult = { id?: string; success: boolean; errors: ItemError[]; created?: boolean }

class RolledBack extends Error {}

function failure(err: unknown, id?: string): ItemResult {
  if (!(err instanceof RestError)) throw err
  const errs =
    err.status === 300
      ? [
          {
            statusCode: 'DUPLICATE_EXTERNAL_ID',
            message: 'More than one record matches the external ID',
            fields: [],
          },
        ]
      : err.items.map(({ errorCode, message, fields, ...extra }) => ({
          ...extra,
          statusCode: errorCode,
          message,
          fields: fields ?? [],
        }))
  return { ...(id ? { id } : {}), success: false, errors: errs }
}

/** Runs `op` per item, each in its own savepoint; with allOrNone one failure undoes them all. */
function runEach<T>(
  ctx: WriteContext,
  allOrNone: boolean,
  items: T[],
  op: (item: T) => ItemResult,
  idOf: (item: T) => string | undefined,
): ItemResult[] {
  const attempt = () =>
    items.map((item) => {
      try {
        return ctx.store.transaction(() => op(item))
      } catch (err) {
        return failure(err, idOf(item))
      }
    })
  if (!allOrNone) return attempt()
  let results: ItemResult[] = []
  try {
    ctx.store.transaction(() => {
      results = attempt()
      if (results.some((r) => !r.success)) throw new RolledBack()
    })
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err
  }
  return results.map((r) =>
    r.success && results.some((x) => !x.success)
      ? {
          ...(r.id ? { id: r.id } : {}),
          success: false,
          errors: [
            {
              statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
              message: 'Record rolled back because another record in the request failed',
              fields: [],
            },
          ],
        }
      : r,
  )
}

type Batch = { allOrNone: boolean; records: Record<string, unknown>[] }

function readBatch(body: unknown): Batch {
  const b = body as { allOrNone?: unknown; records?: unknown } | null
  if (!b || typeof b !== 'object' || !Array.isArray(b.records))
    throw errors.jsonParser('Expected {"records": [...]}')
  if (b.records.length > MAX_COLLECTION) {
    throw new RestError(400, [
      { message: `A collection holds at most ${MAX_COLLECTION} records`, errorCode: 'EXCEEDED_ID_LIMIT' },
    ])
  }
  return { allOrNone: b.allOrNone === true, records: b.records as Record<string, unknown>[] }
}

function typeOf(ctx: WriteContext, record: Record<string, unknown>, fallback?: ObjectDef): ObjectDef {
  const attrs = record.attributes as { type?: unknown } | undefined
  const obj = typeof attrs?.type === 'string' ? ctx.schema.object(attrs.type) : fallback
  if (!obj) throw errors.invalidType(String(attrs?.type ?? ''))
  return obj
}

function idParam(ctx: SobjectContext): string[] {
  return (ctx.req.url.searchParams.get('ids') ?? '').split(',').filter((s) => s !== '')
}

function retrieve(ctx: SobjectContext, obj: ObjectDef): RestResponse {
  const body = ctx.req.method === 'POST' ? (jsonBody(ctx.req) as { ids?: unknown; fields?: unknown }) : null
  const ids = body ? (Array.isArray(body.ids) ? body.ids.map(String) : []) : idParam(ctx)
  const names = body
    ? Array.isArray(body.fields)
      ? body.fields.map(String)
      : []
    : (ctx.req.url.searchParams.get('fields') ?? '').split(',')
  const fields = names
    .filter((n) => n !== '')
    .map((n) => {
      const f = ctx.write.schema.field(obj, n.trim())
      if (!f) throw errors.noSuchField(n.trim(), obj.name)
      return f
    })
  if (fields.length === 0) throw errors.requiredMissing(['fields'])
  const out = ids.map((raw) => {
    const rec = ctx.write.store.get(normalizeId(raw) ?? '')
    return rec &&
      !rec.deleted &&
      rec.sobject === obj.name &&
      accessOf(ctx.write).canRead(rec.sobject, rec.data)
      ? shapeRecord(ctx.version, obj, rec.data, fields)
      : null
  })
  return jsonResponse(200, out)
}

/** Routes the path segments after `composite/sobjects`. */
export function handleCollections(ctx: SobjectContext, segments: string[]): RestResponse {
  const method = ctx.req.method
  const w = ctx.write
  const [typeName, extField, ...extra] = segments
  if (extra.length > 0) throw errors.notFound()
  const obj = typeName === undefined ? undefined : w.schema.object(typeName)
  if (typeName !== undefined && !obj) throw errors.notFound()

  if (obj && extField === undefined && (method === 'GET' || method === 'POST')) return retrieve(ctx, obj)
  if (obj && extField !== undefined && method === 'PATCH') {
    const batch = readBatch(jsonBody(ctx.req))
    const results = runEach(
      w,
      batch.allOrNone,
      batch.records,
      (record) => {
        const { attributes: _, ...fields } = record
        const key = Object.keys(fields).find((k) => k.toLowerCase() === extField.toLowerCase())
        const value = key === undefined ? undefined : fields[key]
        if (key === undefined || value === null || value === undefined)
          throw errors.requiredMissing([extField])
        const outcome = upsert(w, typeOf(w, record, obj), extField, String(value), fields, {
          ...ctx,
          updateOnly: false,
          major: Math.max(ctx.major, 46),
        })
        return { id: outcome.body?.id ?? '', success: true, errors: [], created: outcome.status === 201 }
      },
      () => undefined,
    )
    return jsonResponse(200, results)
  }
  if (obj) throw errors.methodNotAllowed(method, ['GET', 'POST', 'PATCH'])

  if (method === 'DELETE') {
    const allOrNone = ctx.req.url.searchParams.get('allOrNone') === 'true'
    const results = runEach(
      w,
      allOrNone,
      idParam(ctx),
      (raw) => {
        const id = normalizeId(raw)
        const target = id ? w.schema.objectByPrefix(keyPrefixOf(id)) : undefined
        if (!id || !target) throw errors.malformedId(raw)
        deleteRecord(w, target, id)
        return { id, success: true, errors: [] }
      },
      (raw) => normalizeId(raw) ?? raw,
    )
    return jsonResponse(200, results)
  }
  if (method !== 'POST' && method !== 'PATCH')
    throw errors.methodNotAllowed(method, ['POST', 'PATCH', 'DELETE'])
  const batch = readBatch(jsonBody(ctx.req))
  const results = runEach(
    w,
    batch.allOrNone,
    batch.records,
    (record) => {
      const target = typeOf(w, record)
      if (target.name === 'ContentVersion' || target.isEvent)
        throw errors.invalidTypeForOperation(target.name, 'collections')
      const { attributes: _, Id: rawId, ...fields } = record
      if (method === 'POST') return { id: createRecord(w, target, fields), success: true, errors: [] }
      const id = typeof rawId === 'string' ? normalizeId(rawId) : null
      if (!id) throw errors.requiredMissing(['Id'])
      updateRecord(w, target, id, fields)
      return { id, success: true, errors: [] }
    },
    (record) => (typeof record.Id === 'string' ? (normalizeId(record.Id) ?? undefined) : undefined),
  )
  return jsonResponse(200, results)
}
