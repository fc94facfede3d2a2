import type { ContractStatus } from '../store/partner-store.ts'
import { PartnerError } from './partner-error.ts'
import type { ContractInput } from './registration-input.ts'

/**
 * What a partner may ask for without an administrator: an API the portal offers (`portal.apis`),
 * with at most that API's scopes, under the plan the configuration gives it. Partners never
 * pick a plan; without one a contract waits (`pending`) until an administrator approves it and
 * picks one, as attaching a usage plan is an admin action on API Gateway.
 */
export interface SelfServiceOffer {
  readonly name: string
  readonly scopes: readonly string[]
  /** The usage plan contracts for this API start with; absent: pending until approved. */
  readonly plan?: string | undefined
}

const invalid = (field: string, message: string) =>
  new PartnerError('PARTNER_INVALID_INPUT', `${field}: ${message}`, field)

const quoted = (value: string) => JSON.stringify(value.slice(0, 100))

/**
 * The contracts for a self-service form: one scope list for all chosen APIs, split so each
 * contract holds only scopes its API offers. A scope no chosen API offers is refused, as is an
 * API not offered; no requested scopes means each API's offered scopes.
 */
export function selfServiceContracts(
  apis: readonly string[],
  requestedScopes: readonly string[],
  offers: readonly SelfServiceOffer[],
): ContractInput[] {
  if (apis.length === 0) throw invalid('api', 'choose at least one API')
  const chosen = [...new Set(apis)].map((api) => {
    const offer = offers.find((o) => o.name === api)
    if (offer === undefined) throw invalid('api', `the API ${quoted(api)} is not offered here`)
    return offer
  })
  for (const scope of new Set(requestedScopes)) {
    if (!chosen.some((o) => o.scopes.includes(scope)))
      throw invalid(
        'scopes',
        `the scope ${quoted(scope)} is not offered for ${chosen.map((o) => o.name).join(', ')}`,
      )
  }
  return chosen.map((offer) => {
    const scopes =
      requestedScopes.length === 0 ? offer.scopes : offer.scopes.filter((s) => requestedScopes.includes(s))
    if (scopes.length === 0)
      throw invalid('scopes', `none of the requested scopes is offered for ${offer.name}`)
    return { api: offer.name, scopes: [...scopes] }
  })
}

/**
 * The service's own check of a self-service registration, whatever front end built it: each
 * contract within its offer, no plan chosen by the partner. Returns each contract's plan and
 * starting status.
 */
export function selfServiceTerms(
  contracts: readonly ContractInput[],
  offers: readonly SelfServiceOffer[],
  manualApproval: boolean,
): { usagePlan: string | undefined; status: ContractStatus }[] {
  return contracts.map((c, i) => {
    const offer = offers.find((o) => o.name === c.api)
    if (offer === undefined)
      throw invalid(`contracts[${i}].api`, `the API ${quoted(c.api)} is not offered here`)
    const extra = c.scopes.filter((s) => !offer.scopes.includes(s))
    if (extra.length > 0)
      throw invalid(
        `contracts[${i}].scopes`,
        `${extra.map(quoted).join(', ')} not offered for ${c.api} (offered: ${offer.scopes.join(' ') || 'none'})`,
      )
    if (c.usagePlan !== undefined)
      throw invalid(`contracts[${i}].usagePlan`, 'the usage plan is set by the configuration')
    const status = manualApproval || offer.plan === undefined ? 'pending' : 'active'
    return { usagePlan: offer.plan, status }
  })
}
