import { REST_API } from '../../dialect/api-dialect.ts'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { IntegrationSpec } from '../openapi/api-definition.ts'
import { readIntegration } from '../openapi/read-integration.ts'
import { childPointer } from '../source-document.ts'
import { invokeUri } from './function-source.ts'

/** One `{ "name": "value", … }` object of a map the template can list. */
const mapOf = (map: string): string =>
  `{#foreach( $key in ${map}.keySet() )"$key": "$util.escapeJavaScript(${map}.get($key))"#if( $foreach.hasNext ), #end#end}`

/**
 * The event the framework's `integration: lambda` request template gives the function: the
 * body, method, principal, stage, authorizer context, headers, query string, path parameters,
 * caller identity, stage variables and resource path (its keys, built here as a template).
 */
const EVENT = (body: string): string =>
  [
    '{',
    `"body": ${body},`,
    '"method": "$context.httpMethod",',
    '"principalId": "$context.authorizer.principalId",',
    '"stage": "$context.stage",',
    '"cognitoPoolClaims": {"sub": "$context.authorizer.claims.sub"},',
    `"enhancedAuthContext": ${mapOf('$context.authorizer')},`,
    `"headers": ${mapOf('$input.params().header')},`,
    `"query": ${mapOf('$input.params().querystring')},`,
    `"path": ${mapOf('$input.params().path')},`,
    `"identity": ${mapOf('$context.identity')},`,
    `"stageVariables": ${mapOf('$stageVariables')},`,
    '"requestPath": "$context.resourcePath"',
    '}',
  ].join('\n')

const DEFAULT_REQUEST_TEMPLATES = {
  'application/json': EVENT("$input.json('$')"),
  'application/x-www-form-urlencoded': EVENT('"$util.escapeJavaScript($input.body)"'),
}

/** The framework's status codes for `[NNN]` in a function's error message. */
const DEFAULT_STATUS_CODES: Readonly<Record<string, string>> = {
  '400': '[\\s\\S]*\\[400\\][\\s\\S]*',
  '401': '[\\s\\S]*\\[401\\][\\s\\S]*',
  '403': '[\\s\\S]*\\[403\\][\\s\\S]*',
  '404': '[\\s\\S]*\\[404\\][\\s\\S]*',
  '422': '[\\s\\S]*\\[422\\][\\s\\S]*',
  '500': '[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*',
  '502': '[\\s\\S]*\\[502\\][\\s\\S]*',
  '504': '([\\s\\S]*\\[504\\][\\s\\S]*)|(^[Task timed out].*)',
}

/**
 * `integration: lambda` (the non-proxy Lambda integration) as the framework deploys it: the
 * request mapped by its template (or `request.template`, with `request.passThrough`, default
 * NEVER), the function's result passed through (or `response.template`), `response.headers`,
 * and `response.statusCodes` (default: 200, and 400…504 selected by `[NNN]` in the error
 * message). With `cors`, every response carries Access-Control-Allow-Origin, as it adds it.
 */
export function lambdaIntegration(
  r: FieldReader,
  options: JsonObject,
  pointer: string,
  region: string,
  functionArn: string,
  timeoutMs: number,
): IntegrationSpec | undefined {
  const request = isObject(options.request) ? options.request : {}
  const response = isObject(options.response) ? options.response : {}
  const rp = childPointer(pointer, 'request')
  const templates = request.template === undefined ? {} : request.template
  if (!isObject(templates))
    return r.fail(
      childPointer(rp, 'template'),
      `expected media type → template, found ${describe(templates)}`,
    )
  const headers: Record<string, string> = {}
  const given = isObject(response.headers) ? response.headers : {}
  for (const [name, value] of Object.entries(given))
    if (typeof value === 'string') headers[`method.response.header.${name}`] = value
  if (options.cors !== undefined && options.cors !== false) {
    const cors = isObject(options.cors) ? options.cors : {}
    const origin =
      typeof cors.origin === 'string'
        ? cors.origin
        : Array.isArray(cors.origins)
          ? cors.origins.join(',')
          : '*'
    headers['method.response.header.Access-Control-Allow-Origin'] = `'${origin}'`
  }
  // Without a template the function's result passes through, as the framework's empty one does.
  const template = (t: unknown): JsonObject =>
    typeof t === 'string' && t !== '' ? { 'application/json': t } : isObject(t) ? t : {}
  const responses: JsonObject = {}
  const codes = isObject(response.statusCodes) ? response.statusCodes : undefined
  if (codes === undefined) {
    responses.default = {
      statusCode: '200',
      responseParameters: headers,
      responseTemplates: template(response.template),
    }
    for (const [status, pattern] of Object.entries(DEFAULT_STATUS_CODES))
      responses[pattern] = {
        statusCode: status,
        responseParameters: headers,
        responseTemplates: template(undefined),
      }
  } else
    for (const [status, raw] of Object.entries(codes)) {
      const code = isObject(raw) ? raw : {}
      const pattern = typeof code.pattern === 'string' && code.pattern !== '' ? code.pattern : 'default'
      const own = isObject(code.headers) ? code.headers : {}
      const parameters = { ...headers }
      for (const [name, value] of Object.entries(own))
        if (typeof value === 'string') parameters[`method.response.header.${name}`] = value
      responses[pattern] = {
        statusCode: status,
        responseParameters: parameters,
        responseTemplates: template(code.template ?? (status === '200' ? response.template : undefined)),
      }
    }
  return readIntegration(
    r,
    {
      type: 'aws',
      httpMethod: 'POST',
      uri: invokeUri(region, functionArn),
      timeoutInMillis: timeoutMs,
      passthroughBehavior: typeof request.passThrough === 'string' ? request.passThrough : 'NEVER',
      requestTemplates: { ...DEFAULT_REQUEST_TEMPLATES, ...templates },
      responses,
    },
    pointer,
    REST_API,
  )
}
