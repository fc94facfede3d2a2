import { REST_API } from '../../dialect/api-dialect.ts'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import type { RouteSpec } from '../openapi/api-definition.ts'
import { readIntegration } from '../openapi/read-integration.ts'
import { childPointer } from '../source-document.ts'
import { DEFAULT_CORS_HEADERS } from './serverless-cors.ts'

interface PathCors {
  readonly pointer: string
  readonly origins: readonly string[]
  readonly headers: readonly string[]
  readonly credentials: boolean
  readonly maxAge: number | undefined
  readonly methods: Set<string>
}

/**
 * `cors:` of REST http events. The framework deploys, per path, an OPTIONS method with a MOCK
 * integration answering the Access-Control-Allow-* headers (OPTIONS and the path's methods);
 * the functions' own responses carry whatever headers they set, as on AWS.
 */
export class RestCorsCollector {
  readonly #paths = new Map<string, PathCors>()

  add(r: FieldReader, options: JsonObject, pointer: string, path: string, method: string): void {
    const raw = options.cors
    if (raw === undefined || raw === false) return
    const p = childPointer(pointer, 'cors')
    if (raw !== true && !isObject(raw)) {
      r.fail(p, `expected true or an object, found ${describe(raw)}`)
      return
    }
    const obj: JsonObject = raw === true ? {} : raw
    const origin = typeof obj.origin === 'string' ? [obj.origin] : undefined
    const known = this.#paths.get(path)
    const entry = known ?? {
      pointer: p,
      origins: r.stringArray(obj, 'origins', p) ?? origin ?? ['*'],
      headers: r.stringArray(obj, 'headers', p) ?? DEFAULT_CORS_HEADERS,
      credentials: r.boolean(obj, 'allowCredentials', p) ?? false,
      maxAge: r.integer(obj, 'maxAge', p, 0, 86_400),
      methods: new Set(['OPTIONS']),
    }
    entry.methods.add(method === 'ANY' ? 'DELETE,GET,HEAD,PATCH,POST,PUT' : method)
    this.#paths.set(path, entry)
  }

  /** The OPTIONS routes to add, for paths that do not declare their own. */
  routes(r: FieldReader, existing: readonly RouteSpec[]): RouteSpec[] {
    const out: RouteSpec[] = []
    for (const [path, cors] of this.#paths) {
      if (existing.some((route) => route.resourcePath === path && route.method === 'OPTIONS')) continue
      const header = (name: string, value: string): [string, string] => [
        `method.response.header.Access-Control-${name}`,
        `'${value}'`,
      ]
      const parameters = Object.fromEntries([
        header('Allow-Origin', cors.origins.join(',')),
        header('Allow-Headers', cors.headers.join(',')),
        header('Allow-Methods', [...cors.methods].join(',')),
        ...(cors.credentials ? [header('Allow-Credentials', 'true')] : []),
        ...(cors.maxAge === undefined ? [] : [header('Max-Age', String(cors.maxAge))]),
      ])
      const integration = readIntegration(
        r,
        {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseParameters: parameters } },
        },
        cors.pointer,
        REST_API,
      )
      out.push({
        method: 'OPTIONS',
        resourcePath: path,
        pointer: cors.pointer,
        integration,
        security: [],
        securityPointer: cors.pointer,
      })
    }
    return out
  }
}
