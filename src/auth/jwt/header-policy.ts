import { tokenInvalid } from './jwt-failure.ts'
import { type JwtAlgorithm, SUPPORTED_ALGORITHMS } from './types.ts'

/**
 * Checks on the protected header that need no key and no issuer. The key and the algorithm
 * family always come from configuration; the header only names which configured key to use.
 */

/**
 * Headers that point at keys chosen by whoever wrote the token. Honouring them would let an
 * attacker sign with their own key (embedded `jwk`, CVE-2018-0114) or make the gateway fetch
 * a URL of their choice (`jku`, `x5u`). They are rejected outright rather than ignored: no
 * issuer we serve sends them, and a token that does is not one we should reason about.
 */
const KEY_REFERENCE_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const

export const MAX_KID_LENGTH = 256

export interface CheckedHeader {
  readonly alg: JwtAlgorithm
  readonly kid: string | undefined
}

export function checkUntrustedHeader(header: Readonly<Record<string, unknown>>): CheckedHeader {
  const alg = header.alg
  // Exact, case-sensitive match: 'none', 'NoNe', 'HS256' and every other spelling fail here.
  if (typeof alg !== 'string' || !(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw tokenInvalid('jwt.alg', 'algorithm not supported')
  }
  // We implement no JWS extension, so any `crit` (even an empty list, which RFC 7515 forbids)
  // names something we cannot honour.
  if (Object.hasOwn(header, 'crit')) throw tokenInvalid('jwt.crit', 'critical header parameters present')
  for (const name of KEY_REFERENCE_HEADERS) {
    if (Object.hasOwn(header, name)) throw tokenInvalid('jwt.key_reference_header', `header carries ${name}`)
  }
  const kid = header.kid
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH)) {
    throw tokenInvalid('jwt.kid', 'kid is not a usable string')
  }
  return { alg: alg as JwtAlgorithm, kid }
}

/**
 * RFC 7515 §4.1.9: media types are compared case-insensitively and `application/` may be
 * omitted, so `at+jwt` and `application/AT+JWT` name the same type.
 */
export function tokenTypeMatches(typ: unknown, required: string): boolean {
  if (typeof typ !== 'string') return false
  return normaliseMediaType(typ) === normaliseMediaType(required)
}

function normaliseMediaType(value: string): string {
  const lower = value.toLowerCase()
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower
}
