import { systemClock } from '../../cache/ttl-lru.ts'
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts'
import { type IdentitySource, parseIdentitySource } from '../identity-source.ts'
import {
  INVALID_TOKEN_CHALLENGE,
  insufficientScopeChallenge,
  MISSING_TOKEN_CHALLENGE,
} from './bearer-challenge.ts'
import { tokenFromIdentityValue } from './bearer-token.ts'
import { claimsForEvent } from './claims-for-event.ts'
import { createJwtVerifier } from './jwt-verifier.ts'
import { grantsAnyScope } from './scopes.ts'
import type { JwtAlgorithm, JwtVerifierOptions } from './types.ts'
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache.ts'

export const DEFAULT_JWT_IDENTITY_SOURCE = '$request.header.Authorization'

/** The HTTP API JWT authorizer's configuration (`authorizerType: JWT`, `jwtConfiguration`). */
export interface JwtAuthorizerConfig {
  readonly id: string
  readonly identitySource?: string
  readonly issuer: string
  readonly audience: readonly string[]
  readonly jwksUri?: string
  /** API Gateway's HTTP API accepts RSA only, hence the `['RS256']` default. */
  readonly algorithms?: readonly JwtAlgorithm[]
}

export interface JwtAuthorizerDeps {
  readonly fetch?: typeof fetch
  readonly clock?: () => number
  /** Clock tolerance, size and lifetime caps, key cache tuning. */
  readonly verifier?: Omit<JwtVerifierOptions, 'issuers' | 'fetch' | 'clock'>
  readonly cache?: VerifiedTokenCacheOptions
}

export interface JwtAuthorizeInput {
  /** The identity source's value, `undefined` when the request lacks it. */
  readonly headerValue: string | undefined
  /** The route's `authorizationScopes`; empty means any valid token. */
  readonly routeScopes: readonly string[]
}

/** What `requestContext.authorizer.jwt` carries, plus whether verification was skipped. */
export interface JwtAuthorization {
  readonly claims: Readonly<Record<string, string>>
  /** The token's scopes, `null` when it carries no `scope`/`scp` claim. [verify] */
  readonly scopes: readonly string[] | null
  readonly fromCache: boolean
}

/** A verified token: who is calling and what it grants, before any route's scopes are checked. */
export interface JwtAuthentication extends JwtAuthorization {
  /** The scopes the token grants (empty when it carries no scope claim). */
  readonly grantedScopes: readonly string[]
}

export interface JwtAuthorizer {
  readonly id: string
  readonly identitySource: IdentitySource
  /** Verifies the token (401 when missing or invalid); scopes are the route's check, `checkRouteScopes`. */
  authenticate(headerValue: string | undefined): Promise<JwtAuthentication>
  /** `authenticate`, then the route's scopes. */
  authorize(input: JwtAuthorizeInput): Promise<JwtAuthorization>
}

interface CachedAuthorization {
  readonly claims: Readonly<Record<string, string>>
  readonly grantedScopes: readonly string[]
  readonly scopes: readonly string[] | null
}

/**
 * The route's `authorizationScopes` against what the token grants: any one suffices, none
 * required means any valid token. 403 `GW_INSUFFICIENT_SCOPE` with an `insufficient_scope`
 * challenge otherwise. Checked per route on every request, because one token serves many routes.
 */
export function checkRouteScopes(grantedScopes: readonly string[], routeScopes: readonly string[]): void {
  if (!grantsAnyScope(grantedScopes, routeScopes)) {
    throw new GatewayError('GW_INSUFFICIENT_SCOPE', {
      reason: 'jwt.scope',
      headers: { 'WWW-Authenticate': insufficientScopeChallenge(routeScopes) },
    })
  }
}

/**
 * Outcomes, as API Gateway answers them: missing identity → 401 `GW_IDENTITY_MISSING`; any
 * token problem → 401 `GW_TOKEN_INVALID` with an `invalid_token` challenge; a valid token
 * without one of the route's scopes → 403 `GW_INSUFFICIENT_SCOPE` with an
 * `insufficient_scope` challenge; key set unavailable → 503 `GW_IDP_UNAVAILABLE`. The
 * verified token is cached per digest; the scopes are a separate check (`checkRouteScopes`),
 * run per route on every request, because one token serves many routes.
 */
export function createJwtAuthorizer(
  config: JwtAuthorizerConfig,
  deps: JwtAuthorizerDeps = {},
): JwtAuthorizer {
  const identitySource = parseIdentitySource(config.identitySource ?? DEFAULT_JWT_IDENTITY_SOURCE, 'http')
  if (config.audience.length === 0)
    throw new TypeError(`JWT authorizer ${config.id}: audience must not be empty`)
  const clock = deps.clock ?? systemClock
  const verifier = createJwtVerifier({
    ...deps.verifier,
    issuers: [
      {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: config.algorithms ?? ['RS256'],
        ...(config.jwksUri === undefined ? {} : { jwksUri: config.jwksUri }),
      },
    ],
    fetch: deps.fetch ?? fetch,
    clock,
  })
  const cache = new VerifiedTokenCache<CachedAuthorization>(clock, deps.cache)

  async function authenticate(headerValue: string | undefined): Promise<JwtAuthentication> {
    if (headerValue === undefined || headerValue === '') {
      throw new GatewayError('GW_IDENTITY_MISSING', {
        reason: 'identity.missing',
        headers: { 'WWW-Authenticate': MISSING_TOKEN_CHALLENGE },
      })
    }
    const token = tokenFromIdentityValue(headerValue)
    let found: { value: CachedAuthorization; fromCache: boolean }
    try {
      found = await cache.getOrVerify(token, async () => {
        const verified = await verifier.verify(token)
        // Frozen: one cached value is handed to every request that presents this token.
        const scopes = Object.freeze([...verified.scopes])
        const value: CachedAuthorization = Object.freeze({
          claims: Object.freeze(claimsForEvent(verified.claims)),
          grantedScopes: scopes,
          scopes: verified.hasScopeClaim ? scopes : null,
        })
        return { value, expSeconds: verified.exp }
      })
    } catch (err) {
      throw withChallenge(err)
    }
    const { value, fromCache } = found
    return { claims: value.claims, scopes: value.scopes, grantedScopes: value.grantedScopes, fromCache }
  }

  async function authorize(input: JwtAuthorizeInput): Promise<JwtAuthorization> {
    const authenticated = await authenticate(input.headerValue)
    checkRouteScopes(authenticated.grantedScopes, input.routeScopes)
    const { claims, scopes, fromCache } = authenticated
    return { claims, scopes, fromCache }
  }

  return { id: config.id, identitySource, authenticate, authorize }
}

/** Adds the bearer challenge to token rejections; everything else passes through untouched. */
function withChallenge(err: unknown): unknown {
  if (!isGatewayError(err) || err.code !== 'GW_TOKEN_INVALID') return err
  return new GatewayError('GW_TOKEN_INVALID', {
    ...(err.reason === undefined ? {} : { reason: err.reason }),
    ...(err.detail === undefined ? {} : { detail: err.detail }),
    headers: { 'WWW-Authenticate': INVALID_TOKEN_CHALLENGE },
    cause: err,
  })
}
