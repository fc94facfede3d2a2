import type { PartnerService } from '../partners/partner-service.ts'
import type { UsagePlan } from '../partners/usage-plans.ts'
import type { OpportunitiesSettings } from './org-records.ts'
import type { SessionStore } from './session-store.ts'

/** What the portal needs of the partners service (the whole `PartnerService` satisfies it). */
export type PortalPartners = Pick<
  PartnerService,
  'register' | 'list' | 'show' | 'rotate' | 'delete' | 'suspend' | 'resume' | 'approveContract'
>

/** An API partners can ask for, as offered on the registration form. */
export interface ApiOffer {
  /** The contract's API name. */
  readonly name: string
  readonly title: string
  readonly scopes: readonly string[]
  /** A path of the gateway to suggest in "try it", e.g. `/orders`. */
  readonly tryPath?: string
  /** The usage plan self-registered contracts start with; none: pending until an admin approves. */
  readonly plan?: string
}

/** Requests counted against a contract's plan in the current window, when a meter can tell. */
export interface UsageFigures {
  readonly used: number
  readonly limit: number
  readonly period: string
}

/** What the gateway decided for a request, step by step (its `explain`); identities only hashed. */
export interface DecisionTrail {
  readonly steps: readonly { readonly step: string; readonly detail: Readonly<Record<string, unknown>> }[]
  readonly status: number
  readonly outcome: string
}

export interface PortalDeps {
  /** The portal's own connected app at the org; its callback is `{publicOrigin}/portal/callback`. */
  readonly org: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string }
  /** Configured origin of the portal, e.g. `https://api.example.com`; never read from `Host`. */
  readonly publicOrigin: string
  readonly partners: PortalPartners
  readonly sessions: SessionStore
  /** Salesforce usernames of portal administrators (approve contracts, suspend partners). */
  readonly admins: readonly string[]
  /** The gateway "try it" calls, e.g. its own listener; only its origin is used, and only it is ever called. */
  readonly gatewayUrl: string
  readonly clock?: () => number
  readonly fetch?: typeof fetch
  /** APIs offered on the registration form; free text when absent. */
  readonly apis?: readonly ApiOffer[]
  /** Usage plans by name, to show what a contract's plan allows. */
  readonly usagePlans?: ReadonlyMap<string, UsagePlan>
  readonly usage?: (clientId: string, api: string) => Promise<UsageFigures | undefined>
  /** The API's routes from its document (method and resource path), listed in "try it". */
  readonly routes?: readonly { readonly method: string; readonly path: string }[]
  /** The gateway's decision trail for a request, shown in "try it". */
  readonly explain?: (request: {
    readonly method: string
    readonly target: string
    readonly headers: readonly (readonly [string, string])[]
  }) => Promise<DecisionTrail>
  /**
   * The Opportunities page (deals and their contracts, as the signed-in user); off when absent.
   * Sign-in then asks for the `api` scope too, which the org's REST API requires.
   */
  readonly opportunities?: OpportunitiesSettings
  /** Absolute session lifetime (default 8 h) and idle limit (default 1 h), in seconds. */
  readonly sessionSeconds?: number
  readonly idleSeconds?: number
  /** Log lines without secrets: reasons of failed logins and refused forms. */
  readonly log?: (entry: Readonly<Record<string, unknown>>, message: string) => void
}
