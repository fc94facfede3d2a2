import type { BufferedResponse } from '../types.ts'

/** Why a payload 1.0 response was refused; API Gateway answers 502 for all of them. */
export type MalformedReason =
  | 'not-an-object'
  | 'status-code'
  | 'headers'
  | 'multi-value-headers'
  | 'body'
  | 'is-base64-encoded'
  | 'cookies'

export type ProxyResponseMapping =
  | { readonly ok: true; readonly response: BufferedResponse }
  | { readonly ok: false; readonly reason: MalformedReason }

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

export function validStatus(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599
}

/** `headers` + `multiValueHeaders`, merged the AWS way: a name in both keeps only the multi-value list. */
export function mergeHeaders(
  headers: unknown,
  multiValueHeaders: unknown,
): (readonly [string, string])[] | 'headers' | 'multi-value-headers' {
  const out: [string, string][] = []
  const multiNames = new Set<string>()
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (!isRecord(multiValueHeaders)) return 'multi-value-headers'
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(isScalar)) return 'multi-value-headers'
      multiNames.add(name.toLowerCase())
      for (const value of values) out.push([name, String(value)])
    }
  }
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return 'headers'
    for (const [name, value] of Object.entries(headers)) {
      if (!isScalar(value)) return 'headers'
      if (!multiNames.has(name.toLowerCase())) out.push([name, String(value)])
    }
  }
  return out
}

export function decodeBody(body: string, isBase64Encoded: boolean): Buffer | string {
  return isBase64Encoded ? Buffer.from(body, 'base64') : body
}

/**
 * Payload 1.0 (REST proxy) responses are strict: an object with an integer `statusCode`, a
 * string `body` (or none), header maps of scalars. Unknown keys are ignored [inferred].
 */
export function mapProxyResponseV1(result: unknown): ProxyResponseMapping {
  if (!isRecord(result)) return { ok: false, reason: 'not-an-object' }
  if (!validStatus(result.statusCode)) return { ok: false, reason: 'status-code' }
  const body = result.body
  if (body !== undefined && body !== null && typeof body !== 'string') return { ok: false, reason: 'body' }
  const b64 = result.isBase64Encoded
  if (b64 !== undefined && b64 !== null && typeof b64 !== 'boolean')
    return { ok: false, reason: 'is-base64-encoded' }
  const headers = mergeHeaders(result.headers, result.multiValueHeaders)
  if (typeof headers === 'string') return { ok: false, reason: headers }
  const text = typeof body === 'string' ? body : ''
  return { ok: true, response: { status: result.statusCode, headers, body: decodeBody(text, b64 === true) } }
}
