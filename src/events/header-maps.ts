import { cookieName, isGatewayCookie, withoutGatewayCookies } from '../http/gateway-cookies.ts'
import { isGatewayNamespaceHeader } from '../http/gateway-owned-headers.ts'
import type { GatewayRequest } from '../http/gateway-request.ts'

export interface V1HeaderMaps {
  readonly headers: Record<string, string> | null
  readonly multiValueHeaders: Record<string, string[]> | null
}

/**
 * Payload 1.0 header maps: client casing kept; a repeated header shows its last value in
 * `headers` and every value in `multiValueHeaders`. Names differing only in case are one
 * header (HTTP semantics), listed under the casing of its first occurrence. What the gateway
 * owns never reaches a function: client `x-forcegate-*` headers and the gateway's cookies.
 */
export function v1HeaderMaps(req: GatewayRequest): V1HeaderMaps {
  // Maps, then Object.fromEntries: a header named `__proto__` must become an own key like any other.
  const single = new Map<string, string>()
  const multi = new Map<string, string[]>()
  const casing = new Map<string, string>()
  for (const [name, raw] of req.rawHeaders) {
    const lower = name.toLowerCase()
    if (isGatewayNamespaceHeader(lower)) continue
    const value = lower === 'cookie' ? withoutGatewayCookies(raw) : raw
    if (value === undefined) continue
    let key = casing.get(lower)
    if (key === undefined) {
      key = name
      casing.set(lower, key)
      multi.set(key, [])
    }
    single.set(key, value)
    multi.get(key)!.push(value)
  }
  if (single.size === 0) return { headers: null, multiValueHeaders: null }
  return { headers: Object.fromEntries(single), multiValueHeaders: Object.fromEntries(multi) }
}

/**
 * Payload 2.0 headers: lower-cased names, repeated values comma-joined, and `cookie` moved out
 * into the `cookies` array (split on `;`), as HTTP APIs do. Client `x-forcegate-*` headers and
 * the gateway's cookies are left out.
 */
export function v2HeadersAndCookies(req: GatewayRequest): {
  headers: Record<string, string>
  cookies: string[] | undefined
} {
  const headers = new Map<string, string>()
  let cookies: string[] | undefined
  for (const [name, values] of req.headers) {
    if (name === 'cookie') {
      for (const value of values) {
        for (const part of value.split(';')) {
          const cookie = part.trim()
          if (cookie === '' || isGatewayCookie(cookieName(cookie))) continue
          cookies ??= []
          cookies.push(cookie)
        }
      }
      continue
    }
    if (!isGatewayNamespaceHeader(name)) headers.set(name, values.join(','))
  }
  return { headers: Object.fromEntries(headers), cookies }
}
