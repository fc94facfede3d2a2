// A REST call as data: the request with its body already read, and the response to write.
// Handlers are synchronous functions between the two, so a composite request can run several
// of them inside one database savepoint without other requests interleaving.

import type { IncomingHttpHeaders } from 'node:http'
import { parseJson } from './http-io.ts'
import { errors } from './rest-errors.ts'

export type RestRequest = { method: string; url: URL; headers: IncomingHttpHeaders; body: Buffer }

export type RestResponse =
  | { status: number; kind: 'json'; body: unknown; location?: string }
  | { status: number; kind: 'empty' }
  | { status: number; kind: 'bytes'; body: Uint8Array; contentType: string }
  /** A file body sent as it is read from storage, chunk by chunk. */
  | { status: number; kind: 'stream'; size: number; chunks: () => Iterable<Uint8Array>; contentType: string }

export const jsonResponse = (status: number, body: unknown): RestResponse => ({ status, kind: 'json', body })
export const emptyResponse = (status: number): RestResponse => ({ status, kind: 'empty' })

export function headerValue(req: RestRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

export function allowMethods(req: RestRequest, allowed: string[]): void {
  if (!allowed.includes(req.method)) throw errors.methodNotAllowed(req.method, allowed)
}

/** The JSON body; a body in another format is refused as Salesforce refuses it. */
export function jsonBody(req: RestRequest): unknown {
  const type = (headerValue(req, 'content-type') ?? 'application/json').toLowerCase()
  if (!type.startsWith('application/json')) throw errors.unsupportedMediaType(type)
  return parseJson(req.body)
}
