// `/sobjects/...` resources: describe, create (and event publish, and file upload), read,
// update, delete by Id, and read/upsert/delete by external ID.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { createContentVersion, decodeBase64, splitVersionData, versionData } from './content-version.ts'
import { describeGlobal, describeObject, objectInfo } from './describe.ts'
import { coerceValue } from './field-values.ts'
import { parseJson, readBody, sendBytes, sendEmpty, sendJson } from './http-io.ts'
import { boundaryOf, parseMultipart } from './multipart.ts'
import type { createEventLog } from './platform-events.ts'
import { normalizeId } from './record-id.ts'
import { findByField } from './record-input.ts'
import { recordUrl, shapeRecord } from './record-shape.ts'
import { createRecord, deleteRecord, liveRecord, updateRecord, type WriteContext } from './record-writer.ts'
import { errors, multipleChoices } from './rest-errors.ts'
import type { FieldDef, ObjectDef } from './sobject-schema.ts'
import { externalIdField, upsert } from './upsert.ts'

export type SobjectContext = {
  write: WriteContext
  version: string
  major: number
  events: ReturnType<typeof createEventLog>
  req: IncomingMessage
  res: ServerResponse
  url: URL
}

function allow(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) throw errors.methodNotAllowed(method, allowed)
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').toLowerCase()
  if (!type.startsWith('application/json')) throw errors.unsupportedMediaType(type)
  return parseJson(await readBody(req))
}

/** JSON with base64 `VersionData`, or multipart with a JSON part and a binary part. */
async function contentVersionBody(
  req: IncomingMessage,
): Promise<{ fields: Record<string, unknown>; bytes: Buffer | null }> {
  const type = req.headers['content-type'] ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    const { fields, base64 } = splitVersionData(await jsonBody(req))
    return { fields, bytes: base64 === null ? null : decodeBase64(base64) }
  }
  const boundary = boundaryOf(type)
  const parts = boundary ? parseMultipart(await readBody(req), boundary) : null
  if (!parts) throw errors.jsonParser('Malformed multipart/form-data body')
  const entity = parts.find(
    (p) =>
      p.name.startsWith('entity_') ||
      p.name === 'ContentVersion' ||
      p.contentType?.startsWith('application/json'),
  )
  if (!entity) throw errors.jsonParser('The multipart body has no entity_content part')
  const blob = parts.find(
    (p) => p !== entity && (p.name.toLowerCase() === 'versiondata' || p.filename !== null),
  )
  const { fields, base64 } = splitVersionData(parseJson(entity.body))
  return { fields, bytes: blob?.body ?? (base64 === null ? null : decodeBase64(base64)) }
}

function fieldsParam(ctx: SobjectContext, obj: ObjectDef): FieldDef[] | undefined {
  const param = ctx.url.searchParams.get('fields')
  if (!param) return undefined
  return param.split(',').map((name) => {
    const field = ctx.write.schema.field(obj, name.trim())
    if (!field) throw errors.noSuchField(name.trim(), obj.name)
    return field
  })
}

async function create(ctx: SobjectContext, obj: ObjectDef): Promise<void> {
  const { write, res } = ctx
  if (obj.isEvent) {
    const body = await jsonBody(ctx.req)
    return sendJson(
      res,
      201,
      ctx.events.publish(write.schema, write.store, obj, body, write.userId, write.now()),
    )
  }
  if (obj.name === 'ContentVersion') {
    const { fields, bytes } = await contentVersionBody(ctx.req)
    return sendJson(res, 201, {
      id: createContentVersion(write, obj, fields, bytes),
      success: true,
      errors: [],
    })
  }
  const id = createRecord(write, obj, await jsonBody(ctx.req))
  sendJson(res, 201, { id, success: true, errors: [] })
}

async function byId(ctx: SobjectContext, obj: ObjectDef, id: string): Promise<void> {
  const method = ctx.req.method ?? 'GET'
  allow(method, ['GET', 'PATCH', 'DELETE', 'HEAD'])
  if (method === 'PATCH') {
    updateRecord(ctx.write, obj, id, await jsonBody(ctx.req))
    return sendEmpty(ctx.res, 204)
  }
  if (method === 'DELETE') {
    deleteRecord(ctx.write, obj, id)
    return sendEmpty(ctx.res, 204)
  }
  const rec = liveRecord(ctx.write, obj, id)
  sendJson(ctx.res, 200, shapeRecord(ctx.version, obj, rec.data, fieldsParam(ctx, obj)))
}

async function byExternalId(
  ctx: SobjectContext,
  obj: ObjectDef,
  fieldName: string,
  value: string,
): Promise<void> {
  const method = ctx.req.method ?? 'GET'
  allow(method, ['GET', 'PATCH', 'DELETE', 'HEAD'])
  if (method === 'PATCH') {
    const updateOnly = ctx.url.searchParams.get('updateOnly') === 'true'
    const outcome = upsert(ctx.write, obj, fieldName, value, await jsonBody(ctx.req), {
      version: ctx.version,
      major: ctx.major,
      updateOnly,
    })
    return outcome.body ? sendJson(ctx.res, outcome.status, outcome.body) : sendEmpty(ctx.res, outcome.status)
  }
  const field = externalIdField(ctx.write, obj, fieldName)
  const matches =
    field.kind === 'id'
      ? [liveRecord(ctx.write, obj, normalizeId(value) ?? '')]
      : findByField(ctx.write.store, obj, field, coerceValue(field, value))
  if (matches.length > 1) throw multipleChoices(matches.map((m) => recordUrl(ctx.version, obj.name, m.id)))
  const match = matches[0]
  if (!match) throw errors.notFound()
  if (method === 'DELETE') {
    deleteRecord(ctx.write, obj, match.id)
    return sendEmpty(ctx.res, 204)
  }
  sendJson(ctx.res, 200, shapeRecord(ctx.version, obj, match.data, fieldsParam(ctx, obj)))
}

/** Routes the path segments after `sobjects`. */
export async function handleSobjects(ctx: SobjectContext, segments: string[]): Promise<void> {
  const method = ctx.req.method ?? 'GET'
  const [name, second, third, ...extra] = segments
  if (name === undefined) {
    allow(method, ['GET', 'HEAD'])
    return sendJson(ctx.res, 200, describeGlobal(ctx.write.schema, ctx.version))
  }
  const obj = ctx.write.schema.object(name)
  if (!obj) throw errors.notFound()
  if (extra.length > 0) throw errors.notFound()
  if (second === undefined || (second === 'Id' && third === undefined && method === 'POST')) {
    allow(method, ['GET', 'POST', 'HEAD'])
    return method === 'POST' ? create(ctx, obj) : sendJson(ctx.res, 200, objectInfo(ctx.version, obj))
  }
  if (obj.isEvent) throw errors.notFound()
  if (third === undefined) {
    if (second === 'describe') {
      allow(method, ['GET', 'HEAD'])
      return sendJson(ctx.res, 200, describeObject(ctx.write.schema, ctx.version, obj))
    }
    const id = normalizeId(second)
    if (!id) throw errors.notFound()
    return byId(ctx, obj, id)
  }
  const blobField = ctx.write.schema.field(obj, third)
  const recordId = normalizeId(second)
  if (!ctx.write.schema.field(obj, second) && recordId && blobField?.kind === 'base64') {
    allow(method, ['GET', 'HEAD'])
    const { bytes, mime } = versionData(ctx.write, obj, recordId)
    return sendBytes(ctx.res, bytes, mime)
  }
  return byExternalId(ctx, obj, second, decodeURIComponent(third))
}
