import { IDENTITY_HEADER_NAMES } from '../auth/salesforce/identity-headers.ts'
import {
  identityHeaders,
  lambdaAuthorizerContext,
  type SalesforceEnforcer,
} from '../auth/salesforce/index.ts'
import { checkContractScopes } from '../auth/salesforce/salesforce-enforcer.ts'
import type { SalesforceSchemeSpec } from '../config/openapi/read-salesforce-scheme.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ContractDecision } from '../partners/contract-cache.ts'
import { rateLimitHeaders, usageLimitError } from '../partners/rate-limit-headers.ts'
import type { UsageLimiter } from '../partners/usage-limiter.ts'
import type { UsagePlan } from '../partners/usage-plans.ts'
import type { AuthOutcome, RouteAuth } from './types.ts'

/** What Salesforce enforcement needs from the partners service; absent when partners are off. */
export interface PartnerChecks {
  contractFor(clientId: string, api: string): Promise<ContractDecision>
  readonly plans: ReadonlyMap<string, UsagePlan>
  readonly limiter: UsageLimiter
}

const TRUSTED = new Set(IDENTITY_HEADER_NAMES)

/**
 * A route whose callers are Salesforce identities: the token (enforcer, with this route's
 * scopes), then the client's contract for this API, then its usage plan. The identity reaches
 * Lambda integrations as `requestContext.authorizer` and HTTP upstreams as x-forcegate-*
 * headers, after any client-supplied copies were stripped.
 */
export function salesforceRouteAuth(
  enforcer: SalesforceEnforcer,
  spec: SalesforceSchemeSpec,
  scopes: readonly string[],
  partners: PartnerChecks | undefined,
  apiKind: 'rest' | 'http',
  integrationPayload: '1.0' | '2.0' | undefined,
): RouteAuth {
  if (spec.contract && partners === undefined) {
    throw new TypeError(
      `scheme '${spec.schemeName}' requires contracts, but the partners service is not configured`,
    )
  }
  const describeScopes =
    scopes.length === 0 ? '' : ` scopes ${scopes.join(spec.scopeMatch === 'all' ? ' & ' : ' | ')}`
  return {
    description: `salesforce '${spec.schemeName}' org ${spec.org} (${spec.accept.join('/')})${describeScopes}${spec.contract ? ` contract ${spec.api}` : ''}`,
    trustedHeaderNames: TRUSTED,
    async authorize(view, explain, dryRun): Promise<AuthOutcome> {
      const identity = await enforcer.authenticate(view.request.headers.get('authorization'), explain)
      let responseHeaders: Readonly<Record<string, string>> | undefined
      if (spec.contract && partners !== undefined) {
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
        const plan = contract.usagePlan === undefined ? undefined : partners.plans.get(contract.usagePlan)
        if (contract.usagePlan !== undefined && plan === undefined) {
          // A contract naming a plan the configuration no longer has must not mean "unlimited".
          throw new GatewayError('GW_INTERNAL', {
            reason: 'usage.plan_unknown',
            detail: `contract of ${clientId} for ${spec.api} names usage plan '${contract.usagePlan}', which is not configured`,
          })
        }
        if (plan !== undefined && dryRun === true) {
          explain?.({ step: 'usage', plan: plan.name, counted: false })
        } else if (plan !== undefined) {
          // Counted per partner and API, so a rotated or new client id starts no fresh quota.
          const usage = await partners.limiter.consume(contract.usageKey ?? clientId, plan)
          explain?.({ step: 'usage', plan: plan.name, allowed: usage.allowed })
          if (!usage.allowed) throw usageLimitError(usage)
          responseHeaders = rateLimitHeaders(usage)
        }
      }
      const context = { ...lambdaAuthorizerContext(identity) }
      return {
        principalId: identity.userId,
        authorizerContext: apiKind === 'http' && integrationPayload === '2.0' ? { lambda: context } : context,
        identityHeaders: identityHeaders(identity),
        usageIdentifierKey: identity.clientId,
        responseHeaders,
      }
    },
  }
}
