import type { ServerResponse } from 'node:http'
import { HOP_BY_HOP } from '../../http/hop-by-hop.ts'
import type { BufferedResponse } from '../../lib/buffered-response.ts'

/** Headers the gateway frames itself; a function's copies travel as `x-amzn-Remapped-<name>`, as on AWS. */
const FRAMED_BY_GATEWAY = new Set([...HOP_BY_HOP, 'content-length', 'date', 'server'])

export interface RespondOptions {
  readonly requestId: string
  /** The answer when a function returned a header HTTP cannot carry (CR, LF, NUL). */
  readonly invalidHeader: { readonly status: number; readonly body: string }
  /** Close the connection after this response (framing errors, refused bodies). */
  readonly close?: boolean
}

/** respond: writes a buffered integration result or rendered error, with the request id AWS adds. */
export function respond(res: ServerResponse, response: BufferedResponse, options: RespondOptions): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase()
    const key = FRAMED_BY_GATEWAY.has(lower) ? `x-amzn-remapped-${lower}` : lower
    const existing = headers[key]
    if (existing === undefined) headers[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else headers[key] = [existing, value]
  }
  headers['x-amzn-requestid'] = options.requestId
  const body = response.body
  const noBody = response.status === 204 || response.status === 304
  if (!noBody)
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length)
  if (options.close === true) headers.connection = 'close'
  try {
    res.writeHead(response.status, headers)
  } catch {
    res.writeHead(options.invalidHeader.status, {
      'content-type': 'application/json',
      'x-amzn-requestid': options.requestId,
    })
    res.end(options.invalidHeader.body)
    return
  }
  res.end(noBody ? undefined : body)
}
