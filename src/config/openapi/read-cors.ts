import type { FieldReader, JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

const CORS = 'x-amazon-apigateway-cors'

/** An HTTP API's CORS configuration (`x-amazon-apigateway-cors`), as written. */
export interface CorsSpec {
  readonly allowOrigins: readonly string[]
  readonly allowMethods: readonly string[]
  readonly allowHeaders: readonly string[]
  readonly exposeHeaders: readonly string[]
  /** Seconds a browser may cache a preflight answer; undefined sends no Access-Control-Max-Age. */
  readonly maxAge: number | undefined
  readonly allowCredentials: boolean
  readonly pointer: string
}

/**
 * Reads `x-amazon-apigateway-cors` of an HTTP API (REST APIs have no such setting; the
 * extension check says so). As AWS refuses it, credentials cannot be allowed for every origin:
 * a browser would refuse the answer anyway.
 */
export function readCors(r: FieldReader, root: JsonObject): CorsSpec | undefined {
  if (root['x-amazon-apigateway-importexport-version'] === undefined) return undefined
  const obj = r.object(root, CORS, '', false)
  if (obj === undefined) return undefined
  const pointer = childPointer('', CORS)
  const allowOrigins = r.stringArray(obj, 'allowOrigins', pointer) ?? []
  const allowCredentials = r.boolean(obj, 'allowCredentials', pointer) ?? false
  if (allowCredentials && allowOrigins.includes('*'))
    r.fail(
      childPointer(pointer, 'allowOrigins'),
      'expected the origins by name: allowCredentials cannot be true when allowOrigins includes *',
    )
  return {
    allowOrigins,
    allowMethods: (r.stringArray(obj, 'allowMethods', pointer) ?? []).map((m) => m.toUpperCase()),
    allowHeaders: r.stringArray(obj, 'allowHeaders', pointer) ?? [],
    exposeHeaders: r.stringArray(obj, 'exposeHeaders', pointer) ?? [],
    maxAge: r.integer(obj, 'maxAge', pointer, -1, 86_400),
    allowCredentials,
    pointer,
  }
}
