import { channel } from 'node:diagnostics_channel'
import { systemClock } from '../../cache/ttl-lru.ts'
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts'
import {
  IDENTITY_CACHE_CHANNEL,
  ORG_CALL_CHANNEL,
  type OrgCallFact,
} from '../../observability/metric-facts.ts'
import { stageSpan } from '../../observability/stage-span.ts'
import { createJwtVerifier } from '../jwt/jwt-verifier.ts'
import type { JwtVerifier } from '../jwt/types.ts'
import { fingerprint } from '../lambda-authorizer/authorizer-trail.ts'
import { parseAuthorizationCredential } from './authorization-credential.ts'
import { checkedScopes, checkedSettings } from './enforcer-settings.ts'
import { assertHeaderSafeIdentity } from './header-safe.ts'
import { IdentityCache } from './identity-cache.ts'
import { checkUntrustedTokenType, identityFromAccessToken } from './jwt-access-token.ts'
import { createOrgClient } from './org-client.ts'
import { resolveOrgEndpoints } from './org-endpoints.ts'
import { sameRecord } from './org-id.ts'
import { grantsRequiredScopes, grantsScope } from './required-scopes.ts'
import {
  insufficientScope,
  OrgUnavailableError,
  orgUnavailable,
  tokenRejected,
} from './salesforce-failure.ts'
import { classifyToken, type UntrustedTokenKind } from './token-kind.ts'
import type {
  Explain,
  ResolvedIdentity,
  SalesforceEnforcer,
  SalesforceEnforcerConfig,
  SalesforceEnforcerDeps,
  SalesforceIdentity,
  ScopeRequirement,
} from './types.ts'

const silent: Explain = () => undefined

/** How `forcegate explain` names each answer. */
const OUTCOMES: Readonly<Record<number, string>> = {
  400: 'malformed',
  401: 'unauthorized',
  403: 'forbidden',
  503: 'unavailable',
}

/**
 * Salesforce token enforcement for one org (DESIGN.md flow 1). In order:
 *
 *  1. exactly one `Authorization` credential, `Bearer` or `OAuth` (400 / 401 otherwise);
 *  2. the token's shape picks the check: a JWT with `tty: sfdc-core-token` is verified
 *     locally against the org's key set (never introspected); a session-ID-shaped token is
 *     first matched against the configured org by its prefix, with no network call, then
 *     introspected, or checked at UserInfo when only session IDs are accepted or
 *     introspection cannot see it; anything else is 401;
 *  3. the identity is cached per token digest (positive until min(TTL, exp), rejections
 *     briefly), and concurrent first uses share one call to the org;
 *  4. the route's scopes are checked against the identity on every request (403).
 *
 * The org failing to answer is 503 with `Retry-After`, never an allow; a cached identity
 * that is still within its lifetime keeps working, because no call is needed for it.
 */
export function createSalesforceEnforcer(
  config: SalesforceEnforcerConfig,
  deps: SalesforceEnforcerDeps = {},
): SalesforceEnforcer {
  const settings = checkedSettings(config)
  const { accept } = settings
  const clock = deps.clock ?? systemClock
  const fetchFn = deps.fetch ?? fetch
  const endpoints = resolveOrgEndpoints(config.org, accept.has('opaque'))
  const orgClient = createOrgClient(endpoints, { fetch: fetchFn, clock, timeoutMs: settings.timeoutMs })
  const verifier: JwtVerifier | undefined = accept.has('jwt')
    ? createJwtVerifier({
        issuers: [
          {
            issuer: endpoints.issuer,
            audience: endpoints.jwtAudience,
            jwksUri: endpoints.jwksUri,
            algorithms: ['RS256'],
          },
        ],
        fetch: fetchFn,
        clock,
        jwks: { timeoutMs: settings.timeoutMs },
      })
    : undefined
  const cache = new IdentityCache(clock, settings)

  async function authenticate(
    values: readonly string[] | undefined,
    explain: Explain,
    scopes: ScopeRequirement,
  ): Promise<SalesforceIdentity> {
    try {
      const { scheme, token } = parseAuthorizationCredential(values)
      explain({ step: 'credential', scheme, sha256: fingerprint(token) })
      const kind = classifyToken(token)
      explain({ step: 'token_kind', kind: kind.kind })
      const { identity, fromCache } = await identify(token, kind, explain)
      const granted = grantsRequiredScopes(identity.scopes, scopes.requiredScopes, scopes.scopeMode)
      explain({
        step: 'scopes',
        required: scopes.requiredScopes,
        mode: scopes.scopeMode,
        granted: identity.scopes,
        ok: granted,
      })
      if (!granted) throw insufficientScope(scopes.requiredScopes)
      explain({ step: 'decision', outcome: 'allow', tokenKind: identity.tokenKind })
      return { ...identity, fromCache }
    } catch (err) {
      const failure = toGatewayError(err, settings.retryAfterSeconds)
      if (isGatewayError(failure)) {
        explain({
          step: 'decision',
          outcome: OUTCOMES[failure.status] ?? 'error',
          status: failure.status,
          code: failure.code,
          reason: failure.reason,
        })
      }
      throw failure
    }
  }

  function identify(
    token: string,
    kind: UntrustedTokenKind,
    explain: Explain,
  ): Promise<{ identity: ResolvedIdentity; fromCache: boolean }> {
    if (kind.kind === 'unknown') throw tokenRejected('sf.token_kind', 'neither a JWT nor a session ID')
    if (kind.kind === 'jwt') {
      if (verifier === undefined)
        throw tokenRejected('sf.kind_not_accepted', 'JWT access tokens not accepted')
      checkUntrustedTokenType(kind.untrustedHeader)
      return cached(token, explain, false, () => verifyAccessToken(verifier, token, explain))
    }
    if (!accept.has('opaque') && !accept.has('session')) {
      throw tokenRejected('sf.kind_not_accepted', 'opaque tokens and session IDs not accepted')
    }
    const expected = endpoints.orgId
    if (expected !== undefined) {
      const match = sameRecord(kind.untrustedOrg15, expected)
      explain({ step: 'org_prefix', expected: expected.slice(0, 15), found: kind.untrustedOrg15, match })
      if (!match) throw tokenRejected('sf.org_mismatch', 'token prefix names another org')
    }
    return cached(token, explain, true, () => askOrg(token, kind.untrustedOrg15, explain))
  }

  async function cached(
    token: string,
    explain: Explain,
    rememberRejections: boolean,
    work: () => Promise<ResolvedIdentity>,
  ): Promise<{ identity: ResolvedIdentity; fromCache: boolean }> {
    const key = IdentityCache.keyOf(token)
    const hit = cache.identity(key)
    if (hit !== undefined) {
      lookedUp(explain, 'hit')
      return { identity: hit, fromCache: true }
    }
    const rejected = cache.rejection(key)
    if (rejected !== undefined) {
      lookedUp(explain, 'negative_hit')
      throw tokenRejected(rejected, 'rejected recently; not asked again')
    }
    const { result, joined } = cache.lookup(key, async () => {
      lookedUp(explain, 'miss')
      try {
        const identity = Object.freeze({ ...(await work()) })
        cache.remember(key, identity)
        return identity
      } catch (err) {
        // Only the org's "no" is remembered; its failures never are.
        if (rememberRejections && isGatewayError(err) && err.code === 'GW_TOKEN_INVALID') {
          cache.rememberRejection(key, err.reason ?? 'sf.inactive')
        }
        throw err
      }
    })
    if (joined) lookedUp(explain, 'joined')
    return { identity: await result, fromCache: false }
  }

  async function verifyAccessToken(
    v: JwtVerifier,
    token: string,
    explain: Explain,
  ): Promise<ResolvedIdentity> {
    let verified: Awaited<ReturnType<JwtVerifier['verify']>>
    try {
      verified = await v.verify(token)
    } catch (err) {
      throw verifierFailure(err, settings.retryAfterSeconds)
    }
    const identity = identityFromAccessToken(verified)
    explain({ step: 'jwt', verified: true, introspection: false })
    return checkedOrg(identity, undefined)
  }

  async function askOrg(token: string, untrustedOrg15: string, explain: Explain): Promise<ResolvedIdentity> {
    if (accept.has('opaque')) {
      const verdict = await observed(explain, 'introspection', () => orgClient.introspect(token))
      explain({ step: 'introspection', active: verdict.active })
      if (verdict.active) return checkedOrg(verdict.identity, untrustedOrg15)
      // Salesforce answers `active: false` also for tokens the gateway's app may not see; a
      // session ID can still prove itself at UserInfo when the route accepts session IDs.
      if (!accept.has('session')) throw tokenRejected('sf.inactive', 'introspection answered active: false')
    }
    const identity = await observed(explain, 'userinfo', () => orgClient.userinfo(token))
    explain({ step: 'userinfo', valid: true })
    return checkedOrg(identity, untrustedOrg15)
  }

  /** The org's answer must name the configured org and the org of the token's own prefix. */
  function checkedOrg(identity: ResolvedIdentity, untrustedOrg15: string | undefined): ResolvedIdentity {
    const expected = endpoints.orgId
    if (
      (expected !== undefined && !sameRecord(identity.orgId, expected)) ||
      (untrustedOrg15 !== undefined && !sameRecord(identity.orgId, untrustedOrg15))
    ) {
      throw tokenRejected('sf.org_mismatch', 'the identity belongs to another org')
    }
    assertHeaderSafeIdentity(identity)
    return { ...identity, scopes: Object.freeze([...identity.scopes]) }
  }

  function build(scopes: ScopeRequirement): SalesforceEnforcer {
    return {
      id: config.id,
      authenticate: (values, explain) => authenticate(values, explain ?? silent, scopes),
      forRoute: (other) => build(checkedScopes(other)),
    }
  }

  return build(checkedScopes({ requiredScopes: config.requiredScopes, scopeMode: config.scopeMode }))
}

/**
 * The contract part of the scope check: a route's scope counts only when both the token and
 * the client's contract for the API grant it. A token granted `api id` under a contract for
 * `id` holds `id` for that API, not `api`. Answers exactly like a token missing the scope.
 */
export function checkContractScopes(
  tokenScopes: readonly string[],
  contractScopes: readonly string[],
  requirement: ScopeRequirement,
  explain: Explain = silent,
): void {
  const { requiredScopes, scopeMode } = requirement
  const held = requiredScopes.filter((s) => grantsScope(tokenScopes, s) && grantsScope(contractScopes, s))
  const ok = grantsRequiredScopes(held, requiredScopes, scopeMode)
  explain({
    step: 'contract_scopes',
    required: requiredScopes,
    mode: scopeMode,
    contract: contractScopes,
    ok,
  })
  if (!ok) throw insufficientScope(requiredScopes)
}

const identityCacheFacts = channel(IDENTITY_CACHE_CHANNEL)
const orgCallFacts = channel(ORG_CALL_CHANNEL)

/** The identity cache's answer, for the trail and for metrics. */
function lookedUp(explain: Explain, result: 'hit' | 'negative_hit' | 'miss' | 'joined'): void {
  explain({ step: 'cache', result })
  if (identityCacheFacts.hasSubscribers) identityCacheFacts.publish(result)
}

/** Notes that a call to the org was made, whatever its outcome. */
async function observed<T>(
  explain: Explain,
  call: 'introspection' | 'userinfo',
  run: () => Promise<T>,
): Promise<T> {
  explain({ step: 'org_call', call })
  let outcome = 'failed'
  try {
    const answer = await stageSpan(`org call ${call}`, { 'forcegate.org_call.kind': call }, run)
    outcome = 'ok'
    return answer
  } catch (err) {
    if (isGatewayError(err) && err.status < 500) outcome = 'refused'
    throw err
  } finally {
    if (orgCallFacts.hasSubscribers) orgCallFacts.publish({ kind: call, outcome } satisfies OrgCallFact)
  }
}

/** An org that could not answer (introspection, UserInfo) is a 503 with Retry-After. */
function toGatewayError(err: unknown, retryAfterSeconds: number): unknown {
  if (err instanceof OrgUnavailableError) {
    return orgUnavailable(err.reason, retryAfterSeconds, err.message, err)
  }
  return err
}

/**
 * The JWT verifier's answers as the enforcer gives them: its rejections carry no challenge of
 * their own, and a key set it cannot fetch is the org being unavailable (with Retry-After).
 */
function verifierFailure(err: unknown, retryAfterSeconds: number): unknown {
  if (!(err instanceof GatewayError)) return err
  switch (err.code) {
    case 'GW_IDP_UNAVAILABLE':
      return orgUnavailable('sf.jwks_unavailable', retryAfterSeconds, err.detail ?? 'no usable key set', err)
    case 'GW_TOKEN_INVALID':
      return tokenRejected(err.reason ?? 'jwt.invalid', err.detail, err)
    default:
      return err
  }
}
