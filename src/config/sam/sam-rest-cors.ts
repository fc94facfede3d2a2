import { REST_API } from '../../dialect/api-dialect.ts'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { RouteSpec } from '../openapi/api-definition.ts'
import { readIntegration } from '../openapi/read-integration.ts'
import { childPointer } from '../source-document.ts'

/** What SAM allows on a path with an ANY method, sorted as it writes them. */
const ALL_METHODS = 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'

/**
 * A REST API's `Cors` (`AWS::Serverless::Api` or `Globals.Api`): SAM adds to every path an
 * OPTIONS method with a MOCK integration answering `Access-Control-Allow-Origin` (the string
 * form, or `AllowOrigin`), `-Methods` (`AllowMethods`, else the path's methods and OPTIONS),
 * `-Headers`, `-Credentials` and `-Max-Age` when given. The values are the quoted literals API
 * Gateway maps (`"'*'"`). The functions' own responses carry only the headers they set, as on
 * AWS. `security` is the DefaultAuthorizer when `AddDefaultAuthorizerToCorsPreflight` holds.
 */
export function samRestCorsRoutes(
  r: FieldReader,
  raw: unknown,
  pointer: string,
  routes: readonly RouteSpec[],
  security: RouteSpec['security'],
): RouteSpec[] {
  if (raw === undefined) return []
  if (typeof raw !== 'string' && !isObject(raw))
    return r.fail(pointer, `expected an origin string or an object, found ${describe(raw)}`) ?? []
  const obj: JsonObject = typeof raw === 'string' ? { AllowOrigin: raw } : raw
  const literal = (key: string): string | undefined => {
    const v = obj[key]
    if (v === undefined) return undefined
    if (typeof v !== 'string')
      return r.fail(childPointer(pointer, key), `expected a string, found ${describe(v)}`)
    return v.replace(/^'(.*)'$/s, '$1')
  }
  const origin = literal('AllowOrigin')
  if (origin === undefined) {
    if (obj.AllowOrigin === undefined) r.fail(pointer, 'a required AllowOrigin is missing')
    return []
  }
  const methods = literal('AllowMethods')
  const headers = literal('AllowHeaders')
  const maxAge = literal('MaxAge')
  const credentials = r.boolean(obj, 'AllowCredentials', pointer) ?? false
  const byPath = new Map<string, Set<string>>()
  for (const route of routes) {
    if (route.method === '$default') continue
    const set = byPath.get(route.resourcePath) ?? new Set<string>()
    set.add(route.method)
    byPath.set(route.resourcePath, set)
  }
  const out: RouteSpec[] = []
  for (const [path, verbs] of byPath) {
    if (verbs.has('OPTIONS')) continue
    const allowed = verbs.has('ANY') ? ALL_METHODS : [...verbs, 'OPTIONS'].sort().join(',')
    const parameters: Record<string, string> = {
      'method.response.header.Access-Control-Allow-Origin': `'${origin}'`,
      'method.response.header.Access-Control-Allow-Methods': `'${methods ?? allowed}'`,
    }
    if (headers !== undefined)
      parameters['method.response.header.Access-Control-Allow-Headers'] = `'${headers}'`
    if (credentials) parameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'"
    if (maxAge !== undefined) parameters['method.response.header.Access-Control-Max-Age'] = `'${maxAge}'`
    const integration = readIntegration(
      r,
      {
        type: 'mock',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        responses: {
          default: {
            statusCode: '200',
            responseParameters: parameters,
            responseTemplates: { 'application/json': '{}' },
          },
        },
      },
      pointer,
      REST_API,
    )
    out.push({
      method: 'OPTIONS',
      resourcePath: path,
      pointer,
      integration,
      security,
      securityPointer: pointer,
    })
  }
  return out
}
