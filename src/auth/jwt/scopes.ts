/**
 * Scopes as the HTTP API JWT authorizer reads them: `scope` is a space-separated string
 * (RFC 8693 §4.2); `scp`, used by several IdPs, is an array or a string. `scope` wins when
 * it is a string, otherwise `scp` is read; values of any other type carry no scopes.
 */
export interface TokenScopes {
  readonly scopes: readonly string[]
  /** Whether a usable `scope` or `scp` claim was present. */
  readonly present: boolean
}

export function scopesFromClaims(claims: Readonly<Record<string, unknown>>): TokenScopes {
  const scope = claims.scope
  if (typeof scope === 'string') return { scopes: splitScopes(scope), present: true }
  const scp = claims.scp
  if (typeof scp === 'string') return { scopes: splitScopes(scp), present: true }
  if (Array.isArray(scp)) {
    return { scopes: scp.filter((s): s is string => typeof s === 'string' && s.length > 0), present: true }
  }
  return { scopes: [], present: false }
}

function splitScopes(value: string): string[] {
  return value.split(' ').filter((s) => s.length > 0)
}

/** At least one of the route's scopes must be granted; a route without scopes requires none. */
export function grantsAnyScope(granted: readonly string[], required: readonly string[]): boolean {
  if (required.length === 0) return true
  return required.some((scope) => granted.includes(scope))
}
