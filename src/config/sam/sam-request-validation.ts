import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { RequestValidationSpec } from '../openapi/mapping-integration-spec.ts'
import { childPointer } from '../source-document.ts'

const PARAMETER = /^method\.request\.(path|querystring|header)\.(.+)$/

/**
 * An `Api` event's `RequestModel` and `RequestParameters` as SAM deploys them: a request
 * validator only when `ValidateBody` or `ValidateParameters` is given (the other one false),
 * the body checked against the API's `Models` entry for application/json, and the parameters
 * marked `Required: true` (a bare `method.request.…` string is optional) checked when
 * parameters are validated. Without a validator API Gateway checks nothing.
 */
export function samRequestValidation(
  r: FieldReader,
  event: JsonObject,
  pointer: string,
  models: JsonObject,
  modelsPointer: string,
): RequestValidationSpec | undefined {
  const model = event.RequestModel
  const mp = childPointer(pointer, 'RequestModel')
  if (model === undefined) return undefined
  if (!isObject(model))
    return r.fail(
      mp,
      `expected { Model, Required, ValidateBody, ValidateParameters }, found ${describe(model)}`,
    )
  if (model.ValidateBody === undefined && model.ValidateParameters === undefined) return undefined
  const name = r.string(model, 'Model', mp, true)
  const schema = name === undefined ? undefined : models[name]
  if (name !== undefined && !isObject(schema))
    r.fail(childPointer(mp, 'Model'), `expected the name of a model in the API's Models, found '${name}'`)
  const required = { path: [] as string[], querystring: [] as string[], header: [] as string[] }
  const parameters = Array.isArray(event.RequestParameters) ? event.RequestParameters : []
  parameters.forEach((p, i) => {
    const entries = isObject(p) ? Object.entries(p) : []
    for (const [key, options] of entries) {
      const m = PARAMETER.exec(key)
      if (m === null)
        r.fail(
          childPointer(childPointer(pointer, 'RequestParameters'), i),
          `expected method.request.{path|querystring|header}.NAME, found '${key}'`,
        )
      else if (isObject(options) && options.Required === true)
        required[m[1] as keyof typeof required].push(m[2]!)
    }
  })
  return {
    validator: 'sam',
    pointer: mp,
    validateRequestBody: model.ValidateBody === true,
    validateRequestParameters: model.ValidateParameters === true,
    required,
    models: isObject(schema) ? [['application/json', schema]] : [],
    modelsPointer,
    document: {},
  }
}
