/**
 * `WWW-Authenticate` values for bearer-token answers (RFC 6750 §3), in the attribute order
 * the HTTP API JWT authorizer uses. Descriptions are fixed strings: nothing from the token,
 * and nothing that tells a prober which check failed.
 */

/** No credential at all: a bare challenge without an `error` attribute (RFC 6750 §3.1). */
export const MISSING_TOKEN_CHALLENGE = 'Bearer'

/** [verify] API Gateway's documented example shows `scope=""` on a 401. */
export const INVALID_TOKEN_CHALLENGE =
  'Bearer scope="" error="invalid_token" error_description="the token is not valid"'

/** A valid token without any of the route's scopes; `scope` lists what the route accepts. */
export function insufficientScopeChallenge(routeScopes: readonly string[]): string {
  const scope = quoted(routeScopes.join(' '))
  return `Bearer scope=${scope} error="insufficient_scope" error_description="the token does not have the required scope"`
}

function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}
