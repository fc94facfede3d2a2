import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { RequestValidationSpec } from '../openapi/mapping-integration-spec.ts'
import { childPointer } from '../source-document.ts'

/**
 * `request.parameters` (`true` = required) and `request.schemas` (media type → JSON Schema, or
 * `{ schema }`): the framework deploys a validator that checks what is given.
 */
export function requestValidation(
  r: FieldReader,
  options: JsonObject,
  pointer: string,
): RequestValidationSpec | undefined {
  const request = r.object(options, 'request', pointer, false)
  if (request === undefined) return undefined
  const rp = childPointer(pointer, 'request')
  const parameters = r.object(request, 'parameters', rp, false) ?? {}
  const pp = childPointer(rp, 'parameters')
  const required = (key: string): string[] =>
    Object.entries(r.object(parameters, key, pp, false) ?? {})
      .filter(([, v]) => v === true || (isObject(v) && v.required === true))
      .map(([name]) => name)
  const schemas = r.object(request, 'schemas', rp, false) ?? {}
  const models = Object.entries(schemas).map(
    ([type, s]) => [type, isObject(s) && isObject(s.schema) ? s.schema : s] as const,
  )
  const req = { path: required('paths'), querystring: required('querystrings'), header: required('headers') }
  const anyParams = req.path.length + req.querystring.length + req.header.length > 0
  if (!anyParams && models.length === 0) return undefined
  return {
    validator: 'serverless',
    pointer: rp,
    validateRequestBody: models.length > 0,
    validateRequestParameters: anyParams,
    required: req,
    models,
    modelsPointer: childPointer(rp, 'schemas'),
    document: {},
  }
}
