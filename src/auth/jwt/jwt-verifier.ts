import { systemClock } from '../../cache/ttl-lru.ts'
import { checkedInteger } from '../../lib/checked-integer.ts'
import { checkAudience } from './audience.ts'
import { checkUntrustedHeader, tokenTypeMatches } from './header-policy.ts'
import { buildIssuerRegistry } from './issuer-registry.ts'
import { tokenInvalid } from './jwt-failure.ts'
import { scopesFromClaims } from './scopes.ts'
import { verifyJwsSignature } from './signature.ts'
import {
  checkTimeClaims,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  type TimePolicy,
} from './time-claims.ts'
import type { JwtHeader, JwtVerifier, JwtVerifierOptions, VerifiedJwt } from './types.ts'
import { DEFAULT_MAX_TOKEN_BYTES, parseUnverifiedJwt } from './untrusted-jwt.ts'

/**
 * Multi-issuer JWT verification. The order matters and is part of the contract:
 *
 *  1. size cap and compact shape; header and payload parsed as untrusted, strict JSON;
 *  2. header policy: `alg` among the supported asymmetric algorithms, no `crit`, no
 *     key-reference headers (`jku`, `x5u`, `jwk`, `x5c`), `kid` a bounded string;
 *  3. the unverified `iss` must be a registered issuer, so an attacker-chosen issuer never
 *     causes a network call; then `alg` in that issuer's allow-list and the required `typ`;
 *  4. key lookup by `kid` in the issuer's key set (the only step that may fetch);
 *  5. signature;
 *  6. `exp` (required), `nbf`, `iat`, lifetime; then `aud` or `client_id`; then scopes.
 *
 * Every rejection is `GW_TOKEN_INVALID` (401) with a log-only reason; a key set that cannot
 * be loaded at all is `GW_IDP_UNAVAILABLE` (503), see JwksCache.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const clock = options.clock ?? systemClock
  const maxTokenBytes = checkedInteger(
    options.maxTokenBytes,
    DEFAULT_MAX_TOKEN_BYTES,
    256,
    65_536,
    'maxTokenBytes',
  )
  const timePolicy: TimePolicy = {
    toleranceSeconds: checkedInteger(
      options.clockToleranceSeconds,
      DEFAULT_CLOCK_TOLERANCE_SECONDS,
      0,
      MAX_CLOCK_TOLERANCE_SECONDS,
      'clockToleranceSeconds',
    ),
    maxLifetimeSeconds: checkedInteger(
      options.maxTokenLifetimeSeconds,
      DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
      1,
      366 * 86_400,
      'maxTokenLifetimeSeconds',
    ),
  }
  const registry = buildIssuerRegistry(
    options.issuers,
    { fetch: options.fetch ?? fetch, clock },
    options.jwks,
  )

  async function verify(token: string): Promise<VerifiedJwt> {
    if (typeof token !== 'string') throw tokenInvalid('jwt.malformed', 'token is not a string')
    const { untrustedHeader, untrustedPayload, signingInput, signature } = parseUnverifiedJwt(
      token,
      maxTokenBytes,
    )
    const { alg, kid } = checkUntrustedHeader(untrustedHeader)

    const untrustedIss = untrustedPayload.iss
    const issuer = typeof untrustedIss === 'string' ? registry.get(untrustedIss) : undefined
    if (issuer === undefined) throw tokenInvalid('jwt.iss', 'issuer not registered')
    if (!issuer.algorithms.has(alg)) throw tokenInvalid('jwt.alg', 'algorithm not allowed for this issuer')
    if (
      issuer.requiredTokenType !== undefined &&
      !tokenTypeMatches(untrustedHeader.typ, issuer.requiredTokenType)
    ) {
      throw tokenInvalid('jwt.typ', 'token type not accepted')
    }

    const key = await issuer.jwks.getKey(kid, alg)
    if (!verifyJwsSignature(alg, key, signingInput, signature)) throw tokenInvalid('jwt.signature')

    // From here on the header and payload are vouched for by the issuer's key.
    const claims = untrustedPayload
    const exp = checkTimeClaims(claims, clock(), timePolicy)
    if (issuer.audience !== null) checkAudience(claims, issuer.audience)
    const { scopes, present } = scopesFromClaims(claims)
    return {
      header: untrustedHeader as JwtHeader,
      claims,
      issuer: issuer.issuer,
      scopes,
      hasScopeClaim: present,
      exp,
    }
  }

  return { verify }
}
