import { cookieName, isGatewayCookie, withoutGatewayCookies } from '../http/gateway-cookies.ts'
import { isGatewayNamespaceHeader } from '../http/gateway-owned-headers.ts'
import type { GatewayRequest } from '../http/gateway-request.ts'

const SCAN_LIMIT = 16

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
  // One pass into parallel lists (first casing, every value), then the two maps: this runs for
  // every proxy event, and most requests repeat no header.
  const names: string[] = []
  const lowers: string[] = []
  const lists: string[][] = []
  // Past a few headers a lookup table beats scanning the names seen so far.
  let index: Map<string, number> | undefined
  for (const [name, raw] of req.rawHeaders) {
    const lower = name.toLowerCase()
    if (isGatewayNamespaceHeader(lower)) continue
    const value = lower === 'cookie' ? withoutGatewayCookies(raw) : raw
    if (value === undefined) continue
    if (index === undefined && lowers.length === SCAN_LIMIT)
      index = new Map(lowers.map((known, i) => [known, i]))
    const at = index === undefined ? lowers.indexOf(lower) : (index.get(lower) ?? -1)
    if (at === -1) {
      index?.set(lower, names.length)
      lowers.push(lower)
      names.push(name)
      lists.push([value])
    } else lists[at]!.push(value)
  }
  if (names.length === 0) return { headers: null, multiValueHeaders: null }
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  for (let i = 0; i < names.length; i++) {
    const values = lists[i]!
    ownKey(headers, names[i]!, values[values.length - 1]!)
    ownKey(multiValueHeaders, names[i]!, values)
  }
  return { headers, multiValueHeaders }
}

/**
 * Sets `key` as an own data property: a header named `__proto__` (the one accessor an object
 * inherits) is a key like any other; every other name is a plain assignment.
 */
function ownKey<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
  else target[key] = value
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
