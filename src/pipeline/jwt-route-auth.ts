import { readIdentityValues } from '../auth/identity-source.ts'
import { checkRouteScopes, type JwtAuthentication, type JwtAuthorizer } from '../auth/jwt/jwt-authorizer.ts'
import type { AuthorizationCheck, RouteAuth } from './types.ts'

const NO_CHECKS: RouteAuth['checks'] = Object.freeze([])
const NO_HEADERS: readonly (readonly [string, string])[] = Object.freeze([])

interface JwtPrincipal {
  readonly principalId: string | undefined
  readonly identity: JwtAuthentication
}

/**
 * A route guarded by an HTTP API JWT authorizer: the authorizer authenticates (its cache
 * holds the verified token, not a decision), and the route's scopes are an authorization
 * check of their own. `shape` places `{claims, scopes}` for the event.
 */
export function jwtRouteAuth(
  authorizer: JwtAuthorizer,
  routeScopes: readonly string[],
  shape: (context: Readonly<Record<string, unknown>>) => Record<string, unknown>,
): RouteAuth {
  const sources = [authorizer.identitySource]
  return {
    description: `jwt authorizer '${authorizer.id}'${routeScopes.length > 0 ? ` scopes ${routeScopes.join(' | ')}` : ''}`,
    trustedHeaderNames: new Set(),
    async authenticate({ view, explain }) {
      const read = readIdentityValues(sources, view, 'http')
      try {
        const result = await authorizer.authenticate(read.ok ? read.values[0] : undefined)
        explain?.({
          step: 'authorizer',
          authorizerId: authorizer.id,
          outcome: 'authenticated',
          cache: result.fromCache ? 'hit' : 'miss',
        })
        return { principalId: result.claims.sub, identity: result } satisfies JwtPrincipal
      } catch (err) {
        explain?.({
          step: 'authorizer',
          authorizerId: authorizer.id,
          outcome: 'refused',
          reason: (err as { reason?: string }).reason,
        })
        throw err
      }
    },
    checks: routeScopes.length === 0 ? NO_CHECKS : Object.freeze([scopeCheck(routeScopes)]),
    enrich(principal) {
      const { claims, scopes } = (principal as JwtPrincipal).identity
      return {
        principalId: principal.principalId,
        authorizerContext: shape({ claims, scopes }),
        identityHeaders: NO_HEADERS,
        usageIdentifierKey: undefined,
      }
    },
  }
}

/** The route's `authorizationScopes`: the token must grant one of them (403 otherwise). */
function scopeCheck(routeScopes: readonly string[]): AuthorizationCheck {
  return {
    name: 'scopes',
    check(principal, { explain }) {
      const { grantedScopes } = (principal as JwtPrincipal).identity
      try {
        checkRouteScopes(grantedScopes, routeScopes)
      } catch (err) {
        explain?.({ step: 'scopes', required: routeScopes, outcome: 'deny' })
        throw err
      }
      explain?.({ step: 'scopes', required: routeScopes, outcome: 'allow' })
      return undefined
    },
  }
}
