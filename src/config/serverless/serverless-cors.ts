import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { RouteSpec } from '../openapi/api-definition.ts'
import type { CorsSpec } from '../openapi/read-cors.ts'
import { childPointer } from '../source-document.ts'

/** The headers the framework allows when `cors: true` (its documented defaults). */
export const DEFAULT_CORS_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amzn-Trace-Id',
]

/**
 * `provider.httpApi.cors`: `true` for the framework's defaults (any origin, its header list,
 * OPTIONS and the methods the routes use), or `allowedOrigins`, `allowedHeaders`,
 * `allowedMethods`, `allowCredentials`, `exposedResponseHeaders`, `maxAge`.
 */
export function httpApiCors(
  r: FieldReader,
  httpApi: JsonObject,
  routes: readonly RouteSpec[],
): CorsSpec | undefined {
  const raw = httpApi.cors
  const pointer = '/provider/httpApi/cors'
  if (raw === undefined || raw === false) return undefined
  if (raw !== true && !isObject(raw))
    return r.fail(pointer, `expected true or an object, found ${describe(raw)}`)
  const obj: JsonObject = raw === true ? {} : raw
  const methods = new Set(['OPTIONS'])
  for (const route of routes)
    methods.add(route.method === '$default' || route.method === 'ANY' ? '*' : route.method)
  const allowCredentials = r.boolean(obj, 'allowCredentials', pointer) ?? false
  const allowOrigins = r.stringArray(obj, 'allowedOrigins', pointer) ?? ['*']
  if (allowCredentials && allowOrigins.includes('*'))
    r.fail(
      childPointer(pointer, 'allowedOrigins'),
      'expected the origins by name: allowCredentials cannot be true for *',
    )
  return {
    allowOrigins,
    allowMethods: (
      r.stringArray(obj, 'allowedMethods', pointer) ?? (methods.has('*') ? ['*'] : [...methods])
    ).map((m) => m.toUpperCase()),
    allowHeaders: r.stringArray(obj, 'allowedHeaders', pointer) ?? DEFAULT_CORS_HEADERS,
    exposeHeaders: r.stringArray(obj, 'exposedResponseHeaders', pointer) ?? [],
    maxAge: r.integer(obj, 'maxAge', pointer, -1, 86_400),
    allowCredentials,
    pointer,
  }
}
