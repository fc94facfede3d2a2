/**
 * A method's request validator in front of its integration (any type, as on AWS): required
 * parameters, then the body against the model of its media type. A refusal is AWS's 400:
 * `Missing required request parameters: [a, b]` (BAD_REQUEST_PARAMETERS) or
 * `Invalid request body` (BAD_REQUEST_BODY), with `$context.error.validationErrorString`.
 */
import { ConfigError } from '../../errors/config-error.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { lastHeader, parseQuery } from '../../http/gateway-request.ts'
import { mediaTypeOf } from '../mapping/request-template-selection.ts'
import {
  compileRequestValidator,
  ModelError,
  type RequiredParameters,
} from '../mapping/request-validation.ts'
import type { Integration, IntegrationCall } from '../types.ts'

export interface ValidationSource {
  readonly validator: string
  readonly pointer: string
  readonly validateRequestBody: boolean
  readonly validateRequestParameters: boolean
  readonly required: RequiredParameters
  readonly models: readonly (readonly [string, unknown])[]
  readonly modelsPointer: string
  readonly document: unknown
}

export function withRequestValidation(
  file: string,
  inner: Integration,
  source: ValidationSource,
): Integration {
  const checksBody = source.validateRequestBody && source.models.length > 0
  if (checksBody && !inner.needsBody)
    throw new ConfigError(
      file,
      source.pointer,
      `validator '${source.validator}' validates the request body, which a streaming ${inner.type} integration does not read; use one that validates parameters only`,
    )
  let validator: ReturnType<typeof compileRequestValidator>
  try {
    validator = compileRequestValidator(
      source,
      source.required,
      new Map(source.models.map(([type, schema]) => [mediaTypeOf(type), schema])),
      source.document,
    )
  } catch (err) {
    if (!(err instanceof ModelError)) throw err
    throw new ConfigError(
      file,
      source.modelsPointer,
      `expected a model (JSON Schema draft 4) that compiles; ${err.message}`,
    )
  }
  const validate = (call: Pick<IntegrationCall, 'view'>): void => {
    const req = call.view.request
    const querystring: Record<string, unknown> = {}
    for (const [name, values] of parseQuery(req.rawQuery)) querystring[name] = values.at(-1)
    const header: Record<string, unknown> = {}
    for (const [name, values] of req.headers) header[name] = values.at(-1)
    const result = validator.validate({
      path: call.view.pathParameters ?? {},
      querystring,
      header,
      mediaType: mediaTypeOf(lastHeader(req, 'content-type')),
      body: req.body?.toString('utf8') ?? '',
    })
    if (result.ok) return
    throw new GatewayError(
      result.responseType === 'BAD_REQUEST_BODY' ? 'GW_BAD_REQUEST_BODY' : 'GW_BAD_REQUEST_PARAMETERS',
      {
        reason: `validation.${result.responseType === 'BAD_REQUEST_BODY' ? 'body' : 'parameters'}`,
        detail: result.validationErrorString,
        clientMessage: result.message,
        validationErrorString: result.validationErrorString,
      },
    )
  }
  const wrapped: Integration = {
    ...inner,
    async invoke(call) {
      validate(call)
      return inner.invoke(call)
    },
  }
  if (inner.explain !== undefined) {
    const explain = inner.explain.bind(inner)
    return {
      ...wrapped,
      async explain(call) {
        try {
          validate(call)
        } catch (err) {
          if (!(err instanceof GatewayError)) throw err
          return { validator: source.validator, refused: `${err.status} ${err.clientMessage ?? err.code}` }
        }
        return { validator: source.validator, ...(await explain(call)) }
      },
    }
  }
  return wrapped
}
