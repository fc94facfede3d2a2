/**
 * API Gateway's request validators (`x-amazon-apigateway-request-validators` and the
 * operation's `x-amazon-apigateway-request-validator`): required parameters, then the body
 * against the model (JSON Schema draft 4) of the request's media type. Failures are AWS's 400s:
 * `Missing required request parameters: [a, b]` (BAD_REQUEST_PARAMETERS) and
 * `Invalid request body` (BAD_REQUEST_BODY), with `$context.error.validationErrorString`.
 *
 * Ajv 8 no longer reads draft 4 (that needs the separate `ajv-draft-04` package), so models
 * are rewritten to the draft-07 meaning Ajv runs: `id` becomes `$id`, boolean
 * `exclusiveMaximum`/`exclusiveMinimum` become their numeric form, the `$schema` URI is dropped.
 * Schemas compile once, at start-up.
 */
import { Ajv, type ValidateFunction } from 'ajv'

export interface ValidatorSettings {
  readonly validateRequestBody: boolean
  readonly validateRequestParameters: boolean
}

export interface RequiredParameters {
  readonly path: readonly string[]
  readonly querystring: readonly string[]
  readonly header: readonly string[]
}

export interface ValidationInput {
  readonly path: Readonly<Record<string, string>>
  readonly querystring: Readonly<Record<string, unknown>>
  /** Lower-cased header names. */
  readonly header: Readonly<Record<string, unknown>>
  readonly mediaType: string
  readonly body: string
}

export type ValidationResult =
  | { readonly ok: true }
  | {
      readonly ok: false
      readonly responseType: 'BAD_REQUEST_PARAMETERS' | 'BAD_REQUEST_BODY'
      readonly message: string
      readonly validationErrorString: string
    }

export class ModelError extends Error {
  override name = 'ModelError'
}

/** Rewrites a draft-4 schema to its draft-07 equivalent (a copy; the document is not touched). */
export function draft4ToDraft7(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft4ToDraft7)
  if (typeof schema !== 'object' || schema === null) return schema
  const s = schema as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(s)) {
    if (k === '$schema') continue
    if (k === 'id' && typeof v === 'string') out.$id = v
    else if ((k === 'exclusiveMaximum' || k === 'exclusiveMinimum') && typeof v === 'boolean') continue
    else out[k] = draft4ToDraft7(v)
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    out.exclusiveMaximum = s.maximum
    delete out.maximum
  }
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
    out.exclusiveMinimum = s.minimum
    delete out.minimum
  }
  return out
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)
}

export interface RequestValidator {
  validate(input: ValidationInput): ValidationResult
}

/**
 * @param models media type → draft-4 schema with `$ref`s already resolved against the document
 *   (`#/components/schemas/X` or `#/definitions/X`); `root` holds those targets.
 */
export function compileRequestValidator(
  settings: ValidatorSettings,
  required: RequiredParameters,
  models: ReadonlyMap<string, unknown>,
  root: unknown = {},
): RequestValidator {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false })
  const converted = draft4ToDraft7(root) as Record<string, unknown>
  ajv.addSchema(converted, 'document')
  const validators = new Map<string, ValidateFunction>()
  if (settings.validateRequestBody)
    for (const [type, schema] of models) {
      try {
        const rewritten = JSON.parse(
          JSON.stringify(draft4ToDraft7(schema)).replaceAll('"$ref":"#/', '"$ref":"document#/'),
        ) as object
        validators.set(type.toLowerCase(), ajv.compile(rewritten))
      } catch (e) {
        throw new ModelError(`${type}: ${(e as Error).message}`)
      }
    }
  return {
    validate(input) {
      if (settings.validateRequestParameters) {
        const missing = [
          ...required.path.filter((n) => !present(input.path[n])),
          ...required.querystring.filter((n) => !present(input.querystring[n])),
          ...required.header.filter((n) => !present(input.header[n.toLowerCase()])),
        ]
        if (missing.length > 0) {
          const message = `Missing required request parameters: [${missing.join(', ')}]`
          return {
            ok: false,
            responseType: 'BAD_REQUEST_PARAMETERS',
            message,
            validationErrorString: message,
          }
        }
      }
      const check = settings.validateRequestBody ? validators.get(input.mediaType) : undefined
      if (check === undefined) return { ok: true }
      let body: unknown
      try {
        body = input.body.trim() === '' ? {} : JSON.parse(input.body)
      } catch {
        return {
          ok: false,
          responseType: 'BAD_REQUEST_BODY',
          message: 'Invalid request body',
          validationErrorString: '[Invalid JSON in request body]',
        }
      }
      if (check(body)) return { ok: true }
      const details = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      return {
        ok: false,
        responseType: 'BAD_REQUEST_BODY',
        message: 'Invalid request body',
        validationErrorString: `[${details.join(', ')}]`,
      }
    },
  }
}
