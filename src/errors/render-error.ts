import type { BufferedResponse } from '../lib/buffered-response.ts'
import { type ErrorSpec, errorSpec } from './codes.ts'
import type { GatewayError } from './gateway-error.ts'
import type { GatewayResponseOverride, GatewayResponses } from './gateway-responses.ts'
import { resolveParameter, substituteTemplate, type TemplateScope } from './template-scope.ts'

/**
 * The one place an error becomes a response: the code's spec, then the API's gateway response
 * for the code's type, falling back to DEFAULT_4XX / DEFAULT_5XX as API Gateway does.
 */
export function renderError(
  err: GatewayError,
  overrides: GatewayResponses,
  scope: TemplateScope,
  /** The code's spec as the API's dialect answers it (REST's when not given). */
  base: ErrorSpec = errorSpec(err.code),
): BufferedResponse {
  const spec = err.clientMessage === undefined ? base : { ...base, message: err.clientMessage }
  const fallback = spec.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'
  const override = overrides.get(spec.responseType) ?? overrides.get(fallback)
  const headers: [string, string][] = []
  if (spec.errorType !== undefined) headers.push(['x-amzn-ErrorType', spec.errorType])
  if (err.headers !== undefined)
    for (const [name, value] of Object.entries(err.headers)) headers.push([name, value])
  if (override === undefined) {
    headers.push(['content-type', 'application/json'])
    return { status: spec.status, headers, body: defaultBody(spec) }
  }
  return renderOverride(spec, override, headers, scope, err.validationErrorString)
}

function defaultBody(spec: ErrorSpec): string {
  return `{"${spec.messageKey ?? 'message'}":${JSON.stringify(spec.message)}}`
}

function renderOverride(
  spec: ErrorSpec,
  override: GatewayResponseOverride,
  headers: [string, string][],
  scope: TemplateScope,
  validationErrorString: string | undefined,
): BufferedResponse {
  const errorScope: TemplateScope = {
    ...scope,
    error: { message: spec.message, responseType: spec.responseType, validationErrorString },
  }
  for (const [name, expression] of override.headers) {
    const value = resolveParameter(expression, errorScope)
    if (value !== undefined) headers.push([name, value])
  }
  const [contentType, template] = override.templates[0] ?? ['application/json', undefined]
  headers.push(['content-type', contentType])
  const body = template === undefined ? defaultBody(spec) : substituteTemplate(template, errorScope)
  return { status: override.statusCode ?? spec.status, headers, body }
}
