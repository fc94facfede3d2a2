// Reading requests and writing responses for the REST slice.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { errors } from './rest-errors.ts'
import type { RestResponse } from './rest-exchange.ts'

const JSON_TYPE = 'application/json;charset=UTF-8'
/** Salesforce caps JSON bodies at 50 MB; multipart uploads may be larger, up to this. */
const MAX_BODY = 64 * 1024 * 1024

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buf.length
    if (size > MAX_BODY) throw errors.jsonParser('The request body is too large')
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw errors.jsonParser(`Unexpected character in the request body: ${(err as Error).message}`)
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

export async function writeResponse(res: ServerResponse, r: RestResponse): Promise<void> {
  switch (r.kind) {
    case 'json':
      sendJson(res, r.status, r.body)
      return
    case 'empty':
      res.writeHead(r.status)
      res.end()
      return
    case 'bytes':
      res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length })
      res.end(r.body)
      return
    case 'stream':
      res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.size })
      // Backpressure: the next chunk is read from storage only when the client took the last.
      await pipeline(Readable.from(r.chunks(), { objectMode: false }), res)
  }
}

/** The token from `Authorization: Bearer <t>` or the older `Authorization: OAuth <t>`. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header ?? '')
  return m?.[1] ?? null
}
