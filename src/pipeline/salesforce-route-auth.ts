import { parseAuthorizationCredential } from '../auth/salesforce/authorization-credential.ts'
import { IDENTITY_HEADER_NAMES } from '../auth/salesforce/identity-headers.ts'
import {
  identityHeaders,
  lambdaAuthorizerContext,
  type SalesforceEnforcer,
} from '../auth/salesforce/index.ts'
import { checkContractScopes } from '../auth/salesforce/salesforce-enforcer.ts'
import type { SalesforceIdentity } from '../auth/salesforce/types.ts'
import type { SalesforceSchemeSpec } from '../config/openapi/read-salesforce-scheme.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { CallerToken } from '../integrations/salesforce/caller-token.ts'
import type { ContractDecision } from '../partners/contract-cache.ts'
import { rateLimitHeaders, usageLimitError } from '../partners/rate-limit-headers.ts'
import type { UsageLimiter } from '../partners/usage-limiter.ts'
import type { UsagePlan } from '../partners/usage-plans.ts'
import type { AuthorizationCheck, RouteAuth } from './types.ts'

/** What Salesforce enforcement needs from the partners service; absent when partners are off. */
export interface PartnerChecks {
  contractFor(clientId: string, api: string): Promise<ContractDecision>
  readonly plans: ReadonlyMap<string, UsagePlan>
  readonly limiter: UsageLimiter
}

const TRUSTED = new Set(IDENTITY_HEADER_NAMES)

/**
 * A route whose callers are Salesforce identities: the enforcer authenticates the token (with
 * this route's scopes), then the client's contract for this API and its usage plan are
 * checked. The identity reaches Lambda integrations as `requestContext.authorizer` (placed by
 * `shape`) and HTTP upstreams as x-forcegate-* headers, after client-supplied copies were stripped.
 */
export function salesforceRouteAuth(
  enforcer: SalesforceEnforcer,
  spec: SalesforceSchemeSpec,
  scopes: readonly string[],
  partners: PartnerChecks | undefined,
  shape: (context: Readonly<Record<string, unknown>>) => Record<string, unknown>,
): RouteAuth {
  if (spec.contract && partners === undefined) {
    throw new TypeError(
      `scheme '${spec.schemeName}' requires contracts, but the partners service is not configured`,
    )
  }
  const describeScopes =
    scopes.length === 0 ? '' : ` scopes ${scopes.join(spec.scopeMatch === 'all' ? ' & ' : ' | ')}`
  const checks =
    spec.contract && partners !== undefined
      ? [contractCheck(spec, scopes, partners), usagePlanCheck(spec, partners)]
      : []
  return {
    description: `salesforce '${spec.schemeName}' org ${spec.org} (${spec.accept.join('/')})${describeScopes}${spec.contract ? ` contract ${spec.api}` : ''}`,
    trustedHeaderNames: TRUSTED,
    salesforceOrg: spec.org,
    async authenticate({ view, explain }) {
      const values = view.request.headers.get('authorization')
      const identity = await enforcer.authenticate(values, explain)
      // Authenticated from exactly this credential, so it parses; kept for routes that write as the caller.
      const callerToken = new CallerToken(parseAuthorizationCredential(values).token)
      return { principalId: identity.userId, identity, callerToken }
    },
    checks: Object.freeze(checks),
    enrich(principal) {
      const identity = principal.identity as SalesforceIdentity
      return {
        principalId: identity.userId,
        authorizerContext: shape(lambdaAuthorizerContext(identity)),
        identityHeaders: identityHeaders(identity),
        usageIdentifierKey: identity.clientId,
        callerToken: principal.callerToken,
      }
    },
  }
}

/** The client's contract for this API must be active and grant the route's scopes. */
function contractCheck(
  spec: SalesforceSchemeSpec,
  scopes: readonly string[],
  partners: PartnerChecks,
): AuthorizationCheck {
  return {
    name: 'contract',
    async check(principal, { explain }, grants) {
      const identity = principal.identity as SalesforceIdentity
      const clientId = identity.clientId
      if (clientId === undefined) {
        explain?.({ step: 'contract', api: spec.api, outcome: 'deny', reason: 'no client id (session id)' })
        throw new GatewayError('GW_FORBIDDEN', { reason: 'contract.no_client' })
      }
      const contract = await partners.contractFor(clientId, spec.api)
      explain?.({
        step: 'contract',
        api: spec.api,
        clientId,
        status: contract.status,
        usagePlan: contract.usagePlan,
      })
      if (contract.status !== 'active')
        throw new GatewayError('GW_FORBIDDEN', { reason: `contract.${contract.status}` })
      checkContractScopes(
        identity.scopes,
        contract.scopes,
        { requiredScopes: scopes, scopeMode: spec.scopeMatch },
        explain,
      )
      grants.contract = { usagePlan: contract.usagePlan, usageKey: contract.usageKey ?? clientId }
      return undefined
    },
  }
}

/** The contract's usage plan: counted per partner and API, so a new client id starts no fresh quota. */
function usagePlanCheck(spec: SalesforceSchemeSpec, partners: PartnerChecks): AuthorizationCheck {
  return {
    name: 'usage plan',
    async check(_principal, { explain, dryRun }, grants) {
      const contract = grants.contract
      if (contract?.usagePlan === undefined) return undefined
      const plan = partners.plans.get(contract.usagePlan)
      if (plan === undefined) {
        // A contract naming a plan the configuration no longer has must not mean "unlimited".
        throw new GatewayError('GW_INTERNAL', {
          reason: 'usage.plan_unknown',
          detail: `contract of ${contract.usageKey} for ${spec.api} names usage plan '${contract.usagePlan}', which is not configured`,
        })
      }
      if (dryRun) {
        explain?.({ step: 'usage', plan: plan.name, counted: false })
        return undefined
      }
      const usage = await partners.limiter.consume(contract.usageKey ?? '', plan)
      explain?.({ step: 'usage', plan: plan.name, allowed: usage.allowed })
      if (!usage.allowed) throw usageLimitError(usage)
      return rateLimitHeaders(usage)
    },
  }
}
