import type { BufferedResponse } from '../types.ts'
import { decodeBody, mergeHeaders, type ProxyResponseMapping, validStatus } from './proxy-response-v1.ts'

const JSON_TYPE: readonly [string, string] = ['content-type', 'application/json']

/**
 * Payload 2.0 responses: an object with `statusCode` is taken as structured; anything else is
 * the body itself (a string as-is, any other value as its JSON text) with status 200 and a
 * JSON content type, which is how HTTP APIs infer the format.
 */
export function mapProxyResponseV2(result: unknown): ProxyResponseMapping {
  const structured =
    typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result
  if (!structured) {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? '')
    const response: BufferedResponse = { status: 200, headers: [JSON_TYPE], body }
    return { ok: true, response }
  }
  const r = result as Record<string, unknown>
  if (!validStatus(r.statusCode)) return { ok: false, reason: 'status-code' }
  const rawBody = r.body
  const b64 = r.isBase64Encoded
  if (b64 !== undefined && b64 !== null && typeof b64 !== 'boolean')
    return { ok: false, reason: 'is-base64-encoded' }
  const headers = mergeHeaders(r.headers, r.multiValueHeaders)
  if (typeof headers === 'string') return { ok: false, reason: headers }
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies) || !r.cookies.every((c) => typeof c === 'string'))
      return { ok: false, reason: 'cookies' }
    for (const cookie of r.cookies as string[]) headers.push(['set-cookie', cookie])
  }
  // A non-string body in the structured form is sent as its JSON text [inferred].
  const text =
    rawBody === undefined || rawBody === null
      ? ''
      : typeof rawBody === 'string'
        ? rawBody
        : JSON.stringify(rawBody)
  return { ok: true, response: { status: r.statusCode, headers, body: decodeBody(text, b64 === true) } }
}
