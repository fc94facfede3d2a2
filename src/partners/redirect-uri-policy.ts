import { hasControlCharacter } from './control-characters.ts'

/**
 * Checks partner redirect URIs before they reach the org (RFC 7591 §2, RFC 8252 §7.3,
 * RFC 9700 §2.1/§4.1): absolute `https` URIs, `http` only on a loopback host, no fragment, no
 * user info, no wildcard, no control characters, bounded count and length. URIs are kept verbatim for exact matching.
 */
export interface RedirectUriLimits {
  readonly maxCount: number
  readonly maxLength: number
}

export const DEFAULT_REDIRECT_URI_LIMITS: RedirectUriLimits = Object.freeze({ maxCount: 10, maxLength: 2000 })

export interface RedirectUriProblem {
  /** Position in the list, or -1 for a problem with the list itself. */
  readonly index: number
  readonly reason: string
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

export function isLoopbackHttp(uri: string): boolean {
  try {
    const url = new URL(uri)
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  } catch {
    return false
  }
}

function problemOf(uri: string, limits: RedirectUriLimits): string | undefined {
  if (uri.length === 0) return 'is empty'
  if (uri.length > limits.maxLength) return `is longer than ${limits.maxLength} characters`
  if (hasControlCharacter(uri)) return 'must not contain control characters'
  if (uri.includes('#')) return 'must not contain a fragment'
  if (/\s/.test(uri)) return 'must not contain whitespace'
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return 'is not an absolute URI'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must use https (got ${url.protocol})`
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname))
    return 'must use https (http is allowed only on a loopback host)'
  if (url.username !== '' || url.password !== '') return 'must not contain user info'
  if (uri.includes('*')) return 'must not contain a wildcard'
  return undefined
}

/** Returns every problem found; an empty list means the URIs may be sent. */
export function checkRedirectUris(
  uris: readonly string[],
  limits: RedirectUriLimits = DEFAULT_REDIRECT_URI_LIMITS,
): readonly RedirectUriProblem[] {
  if (uris.length === 0) return [{ index: -1, reason: 'at least one redirect URI is required' }]
  if (uris.length > limits.maxCount)
    return [{ index: -1, reason: `at most ${limits.maxCount} redirect URIs are allowed` }]
  const problems: RedirectUriProblem[] = []
  uris.forEach((uri, index) => {
    const reason = problemOf(uri, limits)
    if (reason !== undefined) problems.push({ index, reason })
  })
  return problems
}
