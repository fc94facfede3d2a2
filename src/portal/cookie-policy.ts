/**
 * Which cookie names and attributes browser login uses, decided once from the configured
 * public origin. On https the names carry the `__Host-` prefix, which makes browsers insist on
 * `Secure`, `Path=/` and no `Domain`. Browsers refuse `Secure` cookies set over plain http,
 * and `__Host-` requires `Secure`, so on a loopback http origin (a laptop, a test) the names
 * drop the prefix and the flag. Any other http origin is refused: a session cookie must never
 * travel in clear text over a network.
 */

import { HOST_COOKIE_PREFIX, LOGIN_COOKIE, SESSION_COOKIE } from '../http/gateway-cookies.ts'

export interface CookiePolicy {
  /** The server-side session's id. */
  readonly sessionName: string
  /** Binds login transactions (state, nonce, PKCE verifier) to the browser that started them. */
  readonly loginName: string
  readonly secure: boolean
}

// The names live with the code that keeps them from upstreams, so the two cannot drift apart.
export { LOGIN_COOKIE, SESSION_COOKIE }

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function isLoopbackHttp(origin: URL): boolean {
  return origin.protocol === 'http:' && LOOPBACK_HOSTS.has(origin.hostname)
}

/** Throws a TypeError naming the problem when the origin cannot carry a session safely. */
export function cookiePolicyFor(publicOrigin: string): CookiePolicy {
  const origin = new URL(publicOrigin)
  if (origin.origin !== publicOrigin.replace(/\/$/, ''))
    throw new TypeError(`publicOrigin must be an origin (scheme, host, port), got ${publicOrigin}`)
  if (origin.protocol === 'https:')
    return {
      sessionName: `${HOST_COOKIE_PREFIX}${SESSION_COOKIE}`,
      loginName: `${HOST_COOKIE_PREFIX}${LOGIN_COOKIE}`,
      secure: true,
    }
  if (isLoopbackHttp(origin)) return { sessionName: SESSION_COOKIE, loginName: LOGIN_COOKIE, secure: false }
  throw new TypeError(`publicOrigin must use https (plain http only on loopback), got ${publicOrigin}`)
}
