// `/sobjects/...` resources: describe, create (and event publish, and file upload), read,
// update, delete by Id, and read/upsert/delete by external ID.

import { createContentVersion, decodeBase64, splitVersionData, versionData } from './content-version.ts'
import { describeGlobal, describeObject, objectInfo } from './describe.ts'
import { coerceValue } from './field-values.ts'
import { parseJson } from './http-io.ts'
import { boundaryOf, parseMultipart } from './multipart.ts'
import type { EventLog } from './platform-events.ts'
import { normalizeId } from './record-id.ts'
import { findByField } from './record-input.ts'
import { recordUrl, shapeRecord } from './record-shape.ts'
import {
  accessOf,
  createRecord,
  deleteRecord,
  liveRecord,
  updateRecord,
  type WriteContext,
} from './record-writer.ts'
import { errors, multipleChoices } from './rest-errors.ts'
import {
  allowMethods,
  emptyResponse,
  headerValue,
  jsonBody,
  jsonResponse,
  type RestRequest,
  type RestResponse,
} from './rest-exchange.ts'
import type { FieldDef, ObjectDef } from './sobject-schema.ts'
import { externalIdField, upsert } from './upsert.ts'

export type SobjectContext = {
  write: WriteContext
  version: string
  major: number
  events: EventLog
  req: RestRequest
}

/** JSON with base64 `VersionData`, or multipart with a JSON part and a binary part. */
function contentVersionBody(req: RestRequest): { fields: Record<string, unknown>; bytes: Buffer | null } {
  const type = headerValue(req, 'content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    const { fields, base64 } = splitVersionData(jsonBody(req))
    return { fields, bytes: base64 === null ? null : decodeBase64(base64) }
  }
  const boundary = boundaryOf(type)
  const parts = boundary ? parseMultipart(req.body, boundary) : null
  if (!parts) throw errors.jsonParser('Malformed multipart/form-data body')
  // Salesforce names the JSON part `entity_content`; jsforce names it after the object.
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
  const param = ctx.req.url.searchParams.get('fields')
  if (!param) return undefined
  return param.split(',').map((name) => {
    const field = ctx.write.schema.field(obj, name.trim())
    if (!field) throw errors.noSuchField(name.trim(), obj.name)
    return field
  })
}

function created(ctx: SobjectContext, obj: ObjectDef, id: string): RestResponse {
  return {
    status: 201,
    kind: 'json',
    body: { id, success: true, errors: [] },
    location: recordUrl(ctx.version, obj.name, id),
  }
}

function create(ctx: SobjectContext, obj: ObjectDef): RestResponse {
  const { write } = ctx
  if (obj.isEvent) {
    const result = ctx.events.publish(
      write.schema,
      write.store,
      obj,
      jsonBody(ctx.req),
      write.userId,
      write.now(),
    )
    return jsonResponse(201, result)
  }
  if (obj.name === 'ContentVersion') {
    const { fields, bytes } = contentVersionBody(ctx.req)
    return created(ctx, obj, createContentVersion(write, obj, fields, bytes))
  }
  return created(ctx, obj, createRecord(write, obj, jsonBody(ctx.req)))
}

function byId(ctx: SobjectContext, obj: ObjectDef, id: string): RestResponse {
  allowMethods(ctx.req, ['GET', 'PATCH', 'DELETE', 'HEAD'])
  if (ctx.req.method === 'PATCH') {
    updateRecord(ctx.write, obj, id, jsonBody(ctx.req))
    return emptyResponse(204)
  }
  if (ctx.req.method === 'DELETE') {
    deleteRecord(ctx.write, obj, id)
    return emptyResponse(204)
  }
  const rec = liveRecord(ctx.write, obj, id)
  return jsonResponse(200, shapeRecord(ctx.version, obj, rec.data, fieldsParam(ctx, obj)))
}

function byExternalId(ctx: SobjectContext, obj: ObjectDef, fieldName: string, value: string): RestResponse {
  allowMethods(ctx.req, ['GET', 'PATCH', 'DELETE', 'HEAD'])
  if (ctx.req.method === 'PATCH') {
    const updateOnly = ctx.req.url.searchParams.get('updateOnly') === 'true'
    const outcome = upsert(ctx.write, obj, fieldName, value, jsonBody(ctx.req), {
      version: ctx.version,
      major: ctx.major,
      updateOnly,
    })
    return outcome.body ? jsonResponse(outcome.status, outcome.body) : emptyResponse(outcome.status)
  }
  const field = externalIdField(ctx.write, obj, fieldName)
  const matches =
    field.kind === 'id'
      ? [liveRecord(ctx.write, obj, normalizeId(value) ?? '')]
      : findByField(ctx.write.store, obj, field, coerceValue(field, value)).filter((r) =>
          accessOf(ctx.write).canRead(r.sobject, r.data),
        )
  if (matches.length > 1) throw multipleChoices(matches.map((m) => recordUrl(ctx.version, obj.name, m.id)))
  const match = matches[0]
  if (!match) throw errors.notFound()
  if (ctx.req.method === 'DELETE') {
    deleteRecord(ctx.write, obj, match.id)
    return emptyResponse(204)
  }
  return jsonResponse(200, shapeRecord(ctx.version, obj, match.data, fieldsParam(ctx, obj)))
}

/** Routes the path segments after `sobjects`. */
export function handleSobjects(ctx: SobjectContext, segments: string[]): RestResponse {
  const method = ctx.req.method
  const [name, second, third, ...extra] = segments
  if (name === undefined) {
    allowMethods(ctx.req, ['GET', 'HEAD'])
    return jsonResponse(200, describeGlobal(ctx.write.schema, ctx.version))
  }
  const obj = ctx.write.schema.object(name)
  if (!obj) throw errors.notFound()
  if (extra.length > 0) throw errors.notFound()
  if (second === undefined || (second === 'Id' && third === undefined && method === 'POST')) {
    allowMethods(ctx.req, ['GET', 'POST', 'HEAD'])
    return method === 'POST' ? create(ctx, obj) : jsonResponse(200, objectInfo(ctx.version, obj))
  }
  if (second === 'describe' && third === undefined) {
    allowMethods(ctx.req, ['GET', 'HEAD'])
    return jsonResponse(200, describeObject(ctx.write.schema, ctx.version, obj))
  }
  // Published events are not records: there is nothing to read, update or delete.
  if (obj.isEvent) throw errors.notFound()
  if (third === undefined) {
    const id = normalizeId(second)
    if (!id) throw errors.notFound()
    return byId(ctx, obj, id)
  }
  const blobField = ctx.write.schema.field(obj, third)
  const recordId = normalizeId(second)
  if (!ctx.write.schema.field(obj, second) && recordId && blobField?.kind === 'base64') {
    allowMethods(ctx.req, ['GET', 'HEAD'])
    const { size, chunks, mime } = versionData(ctx.write, obj, recordId)
    return { status: 200, kind: 'stream', size, chunks, contentType: mime }
  }
  return byExternalId(ctx, obj, second, decodeURIComponent(third))
}
