import { GatewayError } from '../../errors/gateway-error.ts'

/**
 * Log-only reasons for a rejected token. Clients always see the same 401; these names are
 * what operators search for, so they are stable.
 */
export type JwtFailureReason =
  | 'jwt.too_large'
  | 'jwt.malformed'
  | 'jwt.duplicate_member'
  | 'jwt.alg'
  | 'jwt.typ'
  | 'jwt.crit'
  | 'jwt.key_reference_header'
  | 'jwt.kid'
  | 'jwt.iss'
  | 'jwks.kid_not_found'
  | 'jwt.signature'
  | 'jwt.exp'
  | 'jwt.exp_missing'
  | 'jwt.lifetime'
  | 'jwt.nbf'
  | 'jwt.iat'
  | 'jwt.aud'

export function tokenInvalid(reason: JwtFailureReason, detail?: string): GatewayError {
  return new GatewayError('GW_TOKEN_INVALID', detail === undefined ? { reason } : { reason, detail })
}

/** Fail closed: no usable key set, so no token from this issuer can be judged. */
export function keysUnavailable(retryAfterSeconds: number, cause?: unknown): GatewayError {
  return new GatewayError('GW_IDP_UNAVAILABLE', {
    reason: 'jwks.unavailable',
    detail: 'no usable key set for the issuer',
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    cause,
  })
}
