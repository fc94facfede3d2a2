/** Reading the `Cookie` header and writing `Set-Cookie` values; pure. */

/** Name → first value. Later duplicates are ignored, as RFC 6265 orders the most specific first. */
export function parseCookies(header: string | readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (header === undefined) return out
  const joined = typeof header === 'string' ? header : header.join('; ')
  for (const part of joined.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    const name = part.slice(0, eq).trim()
    let value = part.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    if (name !== '' && !out.has(name)) out.set(name, value)
  }
  return out
}

export interface CookieOptions {
  readonly secure: boolean
  /** Seconds; 0 expires the cookie now. Absent: a browser-session cookie. */
  readonly maxAge?: number
  readonly sameSite?: 'Lax' | 'Strict'
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/
const VALUE = /^[A-Za-z0-9!#$%&'()*+\-./:<=>?@[\]^_`{|}~]*$/

/** Always `Path=/`, no `Domain`, `HttpOnly`: the shape `__Host-` demands, used for every name. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!TOKEN.test(name)) throw new TypeError('cookie name is not a token')
  if (!VALUE.test(value)) throw new TypeError('cookie value has characters outside cookie-octet')
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite ?? 'Lax'}`]
  if (options.secure) parts.push('Secure')
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`)
  return parts.join('; ')
}
