import { tokenInvalid } from './jwt-failure.ts'

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5
export const MAX_CLOCK_TOLERANCE_SECONDS = 300
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400

export interface TimePolicy {
  readonly toleranceSeconds: number
  readonly maxLifetimeSeconds: number
}

/**
 * `exp` is required; `nbf` and `iat` are optional but checked when present. Every present
 * NumericDate must be a finite, non-negative number: `1e400` parses to Infinity and a string
 * is not a date. A token whose `exp` lies beyond the maximum lifetime is refused, because a
 * token that practically never expires is a stolen credential that never stops working.
 * Returns `exp` in seconds.
 */
export function checkTimeClaims(
  claims: Readonly<Record<string, unknown>>,
  nowMs: number,
  policy: TimePolicy,
): number {
  const now = nowMs / 1000
  const skew = policy.toleranceSeconds
  if (!Object.hasOwn(claims, 'exp')) throw tokenInvalid('jwt.exp_missing', 'exp is required')
  const exp = numericDate(claims.exp, 'jwt.exp')
  // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
  if (now >= exp + skew) throw tokenInvalid('jwt.exp', 'token expired')
  if (exp - now > policy.maxLifetimeSeconds) throw tokenInvalid('jwt.lifetime', 'exp too far in the future')
  if (Object.hasOwn(claims, 'nbf')) {
    const nbf = numericDate(claims.nbf, 'jwt.nbf')
    if (nbf > now + skew) throw tokenInvalid('jwt.nbf', 'token not yet valid')
  }
  if (Object.hasOwn(claims, 'iat')) {
    const iat = numericDate(claims.iat, 'jwt.iat')
    if (iat > now + skew) throw tokenInvalid('jwt.iat', 'issued in the future')
    if (exp - iat > policy.maxLifetimeSeconds) throw tokenInvalid('jwt.lifetime', 'lifetime too long')
  }
  return exp
}

function numericDate(value: unknown, reason: 'jwt.exp' | 'jwt.nbf' | 'jwt.iat'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw tokenInvalid(reason, 'not a finite NumericDate')
  }
  return value
}
