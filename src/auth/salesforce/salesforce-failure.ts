import { GatewayError } from '../../errors/gateway-error.ts'

/**
 * Stable, log-only reasons. Clients see one generic answer per status; operators search
 * for these. JWT verification failures keep the verifier's own `jwt.*` / `jwks.*` reasons.
 */
export type SalesforceFailureReason =
  | 'sf.identity_missing'
  | 'sf.credential_duplicate'
  | 'sf.credential_empty'
  | 'sf.credential_scheme'
  | 'sf.credential_syntax'
  | 'sf.token_too_large'
  | 'sf.token_kind'
  | 'sf.kind_not_accepted'
  | 'sf.org_mismatch'
  | 'sf.inactive'
  | 'sf.expired'
  | 'sf.token_type'
  | 'sf.userinfo_rejected'
  | 'sf.identity_unsafe'
  | 'sf.jwt.tty'
  | 'sf.jwt.sub'
  | 'sf.jwt.org'
  | 'sf.jwt.client_id'
  | 'sf.jwt.scp'
  | 'sf.insufficient_scope'
  | 'sf.introspection_unavailable'
  | 'sf.introspection_malformed'
  | 'sf.introspection_client_rejected'
  | 'sf.userinfo_unavailable'
  | 'sf.userinfo_malformed'
  | 'sf.jwks_unavailable'

/** RFC 6750 §3: the realm names the protection space; it is the same for every route. */
export const REALM = 'forcegate'

export const MISSING_CREDENTIAL_CHALLENGE = `Bearer realm="${REALM}"`
export const INVALID_REQUEST_CHALLENGE = `Bearer realm="${REALM}", error="invalid_request"`
export const INVALID_TOKEN_CHALLENGE = `Bearer realm="${REALM}", error="invalid_token"`

export function insufficientScopeChallenge(requiredScopes: readonly string[]): string {
  const scope = requiredScopes.join(' ').replace(/[\\"]/g, (c) => `\\${c}`)
  return `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`
}

export function identityMissing(): GatewayError {
  return new GatewayError('GW_IDENTITY_MISSING', {
    reason: 'sf.identity_missing',
    headers: { 'WWW-Authenticate': MISSING_CREDENTIAL_CHALLENGE },
  })
}

export function credentialMalformed(reason: SalesforceFailureReason, detail: string): GatewayError {
  return new GatewayError('GW_CREDENTIAL_REQUEST_MALFORMED', {
    reason,
    detail,
    headers: { 'WWW-Authenticate': INVALID_REQUEST_CHALLENGE },
  })
}

/** Every token rejection: same status, same challenge, whatever the reason. */
export function tokenRejected(reason: string, detail?: string, cause?: unknown): GatewayError {
  return new GatewayError('GW_TOKEN_INVALID', {
    reason,
    ...(detail === undefined ? {} : { detail }),
    headers: { 'WWW-Authenticate': INVALID_TOKEN_CHALLENGE },
    ...(cause === undefined ? {} : { cause }),
  })
}

export function insufficientScope(requiredScopes: readonly string[]): GatewayError {
  return new GatewayError('GW_INSUFFICIENT_SCOPE', {
    reason: 'sf.insufficient_scope',
    headers: { 'WWW-Authenticate': insufficientScopeChallenge(requiredScopes) },
  })
}

/** Fail closed: the org could not give an answer, so nothing is allowed on its behalf. */
export function orgUnavailable(
  reason: SalesforceFailureReason,
  retryAfterSeconds: number,
  detail: string,
  cause?: unknown,
): GatewayError {
  return new GatewayError('GW_IDP_UNAVAILABLE', {
    reason,
    detail,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    ...(cause === undefined ? {} : { cause }),
  })
}

/**
 * The org gave no usable answer (transport failure, timeout, 5xx, malformed body). Internal:
 * the enforcer turns it into a 503 at one place, where the retry delay is known.
 */
export class OrgUnavailableError extends Error {
  readonly reason: SalesforceFailureReason

  constructor(reason: SalesforceFailureReason, detail: string, options?: { cause?: unknown }) {
    super(detail, options)
    this.name = 'OrgUnavailableError'
    this.reason = reason
  }
}
