/**
 * Where an OpenAPI 3.0 document holds JSON Schemas. Walked by position, never by key name: a
 * property may be called `default` and `responses.default` is a response, not a keyword.
 */
import { childPointer } from '../config/source-document.ts'

export type JsonRecord = Record<string, unknown>

export const OPERATION_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

type Visit = (schema: JsonRecord, pointer: string) => void

/** Calls `visit` on every schema object of the document, the outer ones first. */
export function forEachSchema(doc: JsonRecord, visit: Visit): void {
  const components = isRecord(doc.components) ? doc.components : {}
  each(components.schemas, '/components/schemas', (s, p) => walkSchema(s, p, visit))
  each(components.parameters, '/components/parameters', (p, at) => parameter(p, at, visit))
  each(components.requestBodies, '/components/requestBodies', (b, at) => content(b, at, visit))
  each(components.responses, '/components/responses', (r, at) => content(r, at, visit))
  each(doc.paths, '/paths', (item, itemAt) => {
    list(item.parameters, childPointer(itemAt, 'parameters'), (p, at) => parameter(p, at, visit))
    for (const method of OPERATION_METHODS) {
      const op = item[method]
      if (!isRecord(op)) continue
      const opAt = childPointer(itemAt, method)
      list(op.parameters, childPointer(opAt, 'parameters'), (p, at) => parameter(p, at, visit))
      if (isRecord(op.requestBody)) content(op.requestBody, childPointer(opAt, 'requestBody'), visit)
      each(op.responses, childPointer(opAt, 'responses'), (r, at) => content(r, at, visit))
    }
  })
}

function each(value: unknown, pointer: string, fn: (v: JsonRecord, at: string) => void): void {
  if (!isRecord(value)) return
  for (const [key, child] of Object.entries(value)) if (isRecord(child)) fn(child, childPointer(pointer, key))
}

function list(value: unknown, pointer: string, fn: (v: JsonRecord, at: string) => void): void {
  if (!Array.isArray(value)) return
  value.forEach((child, i) => {
    if (isRecord(child)) fn(child, childPointer(pointer, i))
  })
}

function parameter(p: JsonRecord, at: string, visit: Visit): void {
  if (isRecord(p.schema)) walkSchema(p.schema, childPointer(at, 'schema'), visit)
}

function content(holder: JsonRecord, at: string, visit: Visit): void {
  each(holder.content, childPointer(at, 'content'), (media, mediaAt) => {
    if (isRecord(media.schema)) walkSchema(media.schema, childPointer(mediaAt, 'schema'), visit)
  })
}

function walkSchema(schema: JsonRecord, at: string, visit: Visit): void {
  visit(schema, at)
  each(schema.properties, childPointer(at, 'properties'), (s, p) => walkSchema(s, p, visit))
  if (isRecord(schema.items)) walkSchema(schema.items, childPointer(at, 'items'), visit)
  if (isRecord(schema.additionalProperties))
    walkSchema(schema.additionalProperties, childPointer(at, 'additionalProperties'), visit)
  if (isRecord(schema.not)) walkSchema(schema.not, childPointer(at, 'not'), visit)
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    list(schema[key], childPointer(at, key), (s, p) => walkSchema(s, p, visit))
}
