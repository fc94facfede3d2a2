import type { GatewayRequest } from '../http/gateway-request.ts'

export interface V1HeaderMaps {
  readonly headers: Record<string, string> | null
  readonly multiValueHeaders: Record<string, string[]> | null
}

/**
 * Payload 1.0 header maps: client casing kept; a repeated header shows its last value in
 * `headers` and every value in `multiValueHeaders`. Names differing only in case are one
 * header (HTTP semantics), listed under the casing of its first occurrence.
 */
export function v1HeaderMaps(req: GatewayRequest): V1HeaderMaps {
  if (req.rawHeaders.length === 0) return { headers: null, multiValueHeaders: null }
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  const casing = new Map<string, string>()
  for (const [name, value] of req.rawHeaders) {
    const lower = name.toLowerCase()
    let key = casing.get(lower)
    if (key === undefined) {
      key = name
      casing.set(lower, key)
      multiValueHeaders[key] = []
    }
    headers[key] = value
    multiValueHeaders[key]!.push(value)
  }
  return { headers, multiValueHeaders }
}

/**
 * Payload 2.0 headers: lower-cased names, repeated values comma-joined, and `cookie` moved out
 * into the `cookies` array (split on `;`), as HTTP APIs do.
 */
export function v2HeadersAndCookies(req: GatewayRequest): {
  headers: Record<string, string>
  cookies: string[] | undefined
} {
  const headers: Record<string, string> = {}
  let cookies: string[] | undefined
  for (const [name, values] of req.headers) {
    if (name === 'cookie') {
      for (const value of values) {
        for (const part of value.split(';')) {
          const cookie = part.trim()
          if (cookie !== '') (cookies ??= []).push(cookie)
        }
      }
      continue
    }
    headers[name] = values.join(',')
  }
  return { headers, cookies }
}
