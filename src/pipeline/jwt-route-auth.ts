import { readIdentityValues } from '../auth/identity-source.ts'
import type { JwtAuthorizer } from '../auth/jwt/jwt-authorizer.ts'
import type { RouteAuth } from './types.ts'

const NO_CHECKS: RouteAuth['checks'] = Object.freeze([])

interface JwtIdentity {
  readonly claims: Readonly<Record<string, unknown>> & { readonly sub?: unknown }
  readonly scopes: readonly string[] | null
}

/**
 * A route guarded by an HTTP API JWT authorizer with the route's scopes. The authorizer checks
 * the scopes right after verifying (its cache holds the verified token, not the decision), so
 * it is one authenticate-and-authorize adapter; `shape` places `{claims, scopes}` for the event.
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
        const result = await authorizer.authorize({
          headerValue: read.ok ? read.values[0] : undefined,
          routeScopes,
        })
        explain?.({
          step: 'authorizer',
          authorizerId: authorizer.id,
          outcome: 'allow',
          cache: result.fromCache ? 'hit' : 'miss',
        })
        return { principalId: result.claims.sub as string | undefined, identity: result }
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
    checks: NO_CHECKS,
    enrich(principal) {
      const { claims, scopes } = principal.identity as JwtIdentity
      return {
        principalId: principal.principalId,
        authorizerContext: shape({ claims, scopes }),
        identityHeaders: [],
        usageIdentifierKey: undefined,
      }
    },
  }
}
