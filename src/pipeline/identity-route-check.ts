import { parseAuthorizationCredential } from '../auth/salesforce/authorization-credential.ts'
import { describeFacts } from '../auth/salesforce/identity-facts.ts'
import { type FactsCredential, IdentityFactsResolver } from '../auth/salesforce/identity-facts-resolver.ts'
import {
  evaluateRequirement,
  type IdentityRequirement,
  requiredKinds,
} from '../auth/salesforce/identity-requirement.ts'
import type { SalesforceIdentity } from '../auth/salesforce/types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { sessionCredentialOf } from '../portal/session-route-auth.ts'
import type { AuthCall, AuthorizationCheck, Principal, RouteAuth } from './types.ts'

/** How a route's principal is asked about: its token, org and what it already carries. */
export type CredentialOf = (principal: Principal, call: AuthCall) => FactsCredential | undefined

/**
 * Authorization by who the user is in Salesforce: the facts the requirement reads are found
 * (claims, identity URL, query as the user; cached with the token) and every named kind must
 * hold. A refusal is 403; the trail names the unmet kind and shows each fact with its source.
 */
export function identityCheck(
  requirement: IdentityRequirement,
  resolver: IdentityFactsResolver,
  credentialOf: CredentialOf,
): AuthorizationCheck {
  const kinds = requiredKinds(requirement)
  return {
    name: 'identity',
    async check(principal, call) {
      const { explain } = call
      const credential = credentialOf(principal, call)
      if (credential === undefined) {
        explain?.({ step: 'identity', outcome: 'deny', missing: 'a credential the org can be asked with' })
        throw new GatewayError('GW_FORBIDDEN', { reason: 'identity.no_credential' })
      }
      const facts = await resolver.facts(credential, kinds, explain)
      const outcome = evaluateRequirement(requirement, facts)
      explain?.({
        step: 'identity',
        outcome: outcome.allowed ? 'allow' : 'deny',
        ...(outcome.allowed ? {} : { missing: outcome.missing }),
        facts: describeFacts(facts),
      })
      if (!outcome.allowed)
        throw new GatewayError('GW_FORBIDDEN', {
          reason: `identity.${outcome.kind}`,
          detail: outcome.missing,
        })
      return undefined
    },
  }
}

/** The route's auth with the identity check first, so a refused caller counts against no plan. */
export function withIdentityCheck(auth: RouteAuth, check: AuthorizationCheck, summary: string): RouteAuth {
  return {
    ...auth,
    description: `${auth.description} require ${summary}`,
    checks: Object.freeze([check, ...auth.checks]),
  }
}

/** A bearer route: the token of the request the Salesforce enforcer just accepted. */
export function bearerCredential(issuer: string): CredentialOf {
  return (principal, call) => {
    const identity = principal.identity as SalesforceIdentity
    const { token } = parseAuthorizationCredential(call.view.request.headers.get('authorization'))
    return { token, issuer, userId: identity.userId, orgId: identity.orgId, expiresAt: identity.expiresAt }
  }
}

/** A browser-session route: the session's access token, and its ID token's claims (verified at sign-in). */
export const sessionCredential: CredentialOf = (principal) => {
  // The session outcome is the principal's identity, or the principal itself.
  const s = sessionCredentialOf(principal.identity ?? principal)
  if (s?.accessToken === undefined) return undefined
  return {
    token: s.accessToken,
    issuer: s.issuer,
    userId: s.userId,
    orgId: s.orgId,
    idTokenClaims: s.idToken === undefined ? undefined : jwtPayload(s.idToken),
    expiresAt: s.expiresAt,
  }
}

function jwtPayload(jwt: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** `userType STANDARD, permissionSets any Blog_Author`: for the start-up route table. */
export function describeRequirement(requirement: IdentityRequirement): string {
  return requiredKinds(requirement)
    .map((kind) => {
      const v = requirement[kind]
      if (Array.isArray(v)) return `${kind} ${v.join('|')}`
      if (kind === 'customAttributes')
        return Object.entries(requirement.customAttributes!)
          .map(([k, values]) => `${k}=${values.join('|')}`)
          .join(' ')
      const names = v as { anyOf: readonly string[]; allOf: readonly string[] }
      return [
        names.allOf.length > 0 ? `${kind} all ${names.allOf.join('&')}` : '',
        names.anyOf.length > 0 ? `${kind} any ${names.anyOf.join('|')}` : '',
      ]
        .filter(Boolean)
        .join(', ')
    })
    .join(', ')
}

/**
 * Adds a scheme's identity requirement to its routes' checks. One resolver per scheme, shared
 * by its routes, so facts found for a token on one route serve the others.
 */
export function createIdentityChecks(deps: { readonly clock: () => number; readonly fetch?: typeof fetch }) {
  const resolvers = new Map<string, IdentityFactsResolver>()
  return function withRequirement(
    auth: RouteAuth,
    scheme: string,
    requirement: IdentityRequirement | undefined,
    options: { readonly ttlSeconds: number; readonly timeoutMs: number },
    credentialOf: CredentialOf,
  ): RouteAuth {
    if (requirement === undefined) return auth
    let resolver = resolvers.get(scheme)
    if (resolver === undefined) {
      resolver = new IdentityFactsResolver(
        { clock: deps.clock, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) },
        { ttlMs: options.ttlSeconds * 1000, maxEntries: 10_000, timeoutMs: options.timeoutMs },
      )
      resolvers.set(scheme, resolver)
    }
    return withIdentityCheck(
      auth,
      identityCheck(requirement, resolver, credentialOf),
      describeRequirement(requirement),
    )
  }
}
