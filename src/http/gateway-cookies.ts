/**
 * The cookies the gateway sets for browser login, and their removal from everything it
 * forwards: an upstream or a function that saw a portal session could replay it against the
 * portal. Cookie names are case-sensitive (RFC 6265 §5.4), and the portal reads exactly these.
 */

/** The server-side session's id. */
export const SESSION_COOKIE = 'forcegate-session'
/** Binds a login transaction (state, nonce, PKCE verifier) to the browser that started it. */
export const LOGIN_COOKIE = 'forcegate-login'
/** On https origins both names carry this prefix (browsers then insist on Secure, Path=/, no Domain). */
export const HOST_COOKIE_PREFIX = '__Host-'

const GATEWAY_COOKIES: ReadonlySet<string> = new Set(
  [SESSION_COOKIE, LOGIN_COOKIE].flatMap((name) => [name, `${HOST_COOKIE_PREFIX}${name}`]),
)

/** True for one of the gateway's cookie names, with or without the `__Host-` prefix. */
export function isGatewayCookie(name: string): boolean {
  return GATEWAY_COOKIES.has(name)
}

/** The name of one `name=value` pair of a `Cookie` header, as the portal reads it. */
export function cookieName(pair: string): string {
  const eq = pair.indexOf('=')
  return (eq === -1 ? pair : pair.slice(0, eq)).trim()
}

/**
 * A `Cookie` header value without the gateway's cookies, the others kept in order;
 * `undefined` when nothing is left. Values that cannot hold one are returned untouched.
 */
export function withoutGatewayCookies(value: string): string | undefined {
  if (!value.includes(SESSION_COOKIE) && !value.includes(LOGIN_COOKIE)) return value
  const kept: string[] = []
  for (const pair of value.split(';')) {
    if (pair.trim() === '' || isGatewayCookie(cookieName(pair))) continue
    kept.push(pair.trim())
  }
  return kept.length === 0 ? undefined : kept.join('; ')
}
