import { pathAndQuery, resolveSameOrigin } from './same-origin-url.ts'

/** Where a site's post-login redirects may lead. */
export interface ReturnToScope {
  /** The site's configured public origin. */
  readonly origin: string
  /** Paths outside this prefix are refused (`''` allows the whole origin). */
  readonly basePath: string
  readonly fallback: string
}

/**
 * Where a browser may be sent after login (RFC 9700 §4.11): the candidate is resolved against
 * the public origin, must stay on it and under the site's base path, and what comes back is
 * the normalised path and query, never the raw input. Everything else gives the fallback.
 */
export function safeReturnTo(candidate: string | undefined, scope: ReturnToScope): string {
  const url = resolveSameOrigin(candidate, scope.origin)
  if (url === undefined) return scope.fallback
  const under =
    scope.basePath === '' || url.pathname === scope.basePath || url.pathname.startsWith(`${scope.basePath}/`)
  return under ? pathAndQuery(url) : scope.fallback
}
