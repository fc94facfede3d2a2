import { readIdentityValues } from '../auth/identity-source.ts'
import type { JwtAuthorizer } from '../auth/jwt/jwt-authorizer.ts'
import type { RouteAuth } from './types.ts'

/** A route guarded by an HTTP API JWT authorizer with the route's scopes. */
export function jwtRouteAuth(
  authorizer: JwtAuthorizer,
  routeScopes: readonly string[],
  integrationPayload: '1.0' | '2.0' | undefined,
): RouteAuth {
  const sources = [authorizer.identitySource]
  return {
    description: `jwt authorizer '${authorizer.id}'${routeScopes.length > 0 ? ` scopes ${routeScopes.join(' | ')}` : ''}`,
    trustedHeaderNames: new Set(),
    async authorize(view, explain) {
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
        const jwt = { claims: result.claims, scopes: result.scopes }
        return {
          principalId: result.claims.sub,
          authorizerContext: integrationPayload === '2.0' ? { jwt } : jwt,
          identityHeaders: [],
          usageIdentifierKey: undefined,
        }
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
  }
}
