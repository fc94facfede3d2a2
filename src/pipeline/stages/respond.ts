import type { ServerResponse } from 'node:http'
import type { BufferedResponse } from '../../lib/buffered-response.ts'

/** respond: writes a buffered integration result or rendered error, with the request id AWS adds. */
export function respond(res: ServerResponse, response: BufferedResponse, requestId: string): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase()
    const existing = headers[key]
    if (existing === undefined) headers[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else headers[key] = [existing, value]
  }
  headers['x-amzn-requestid'] = requestId
  const body = response.body
  headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length)
  try {
    res.writeHead(response.status, headers)
  } catch {
    // A header value a function returned that HTTP cannot carry (CR, LF, NUL): refuse it as AWS would.
    res.writeHead(502, { 'content-type': 'application/json', 'x-amzn-requestid': requestId })
    res.end('{"message":"Internal server error"}')
    return
  }
  res.end(body)
}
