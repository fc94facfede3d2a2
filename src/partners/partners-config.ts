import type { SecretRef } from '../config/secret-ref.ts'
import type { UsagePlan } from './usage-plans.ts'

/**
 * The `partners` section of forcegate.yaml: where partner client apps are registered, where
 * they are stored, how their secrets are sealed, the usage plans contracts may name, and the
 * admin API. Secrets are references, never literals.
 */
export interface PartnersConfig {
  readonly org: {
    /** The org's My Domain URL; its `/services/oauth2/register` registers partner apps. */
    readonly url: string
    /** The initial access token of the gateway's connected app (Salesforce: "Generate" on its page). */
    readonly initialAccessToken: SecretRef
    readonly timeoutMs: number
  }
  readonly store: {
    readonly kind: 'sqlite'
    /** A file path, or `:memory:` (lost on exit). */
    readonly path: string
  }
  readonly encryption: {
    /** 32 random bytes, base64; seals client secrets and registration access tokens. */
    readonly key: SecretRef
    /** Keys still accepted for reading while values are re-sealed with `key`. */
    readonly previousKeys: readonly SecretRef[]
  }
  readonly registration: {
    /** Scopes added to every registration, besides those the contracts require. */
    readonly defaultScopes: readonly string[]
    /** `auto`: new contracts are active at once; `manual`: pending until approved. */
    readonly contractApproval: 'auto' | 'manual'
    readonly maxRedirectUris: number
    readonly maxRedirectUriLength: number
  }
  readonly usagePlans: readonly UsagePlan[]
  /** How long a `contractFor` answer may be served from memory by another instance's change. */
  readonly contractCacheTtlSeconds: number
  readonly contractCacheMaxEntries: number
  /** Keys the in-process usage limiter tracks before evicting the least recently used. */
  readonly limiterMaxKeys: number
  readonly admin: {
    /** Bearer token of the admin API; the API is off when absent. */
    readonly token?: SecretRef
    readonly maxBodyBytes: number
  }
}

export const ADMIN_BASE_PATH = '/_forcegate/partners'

export const PARTNERS_DEFAULTS = Object.freeze({
  org: Object.freeze({
    timeoutMs: 10_000,
    initialAccessToken: Object.freeze({ env: 'FORCEGATE_INITIAL_ACCESS_TOKEN' }),
  }),
  store: Object.freeze({ kind: 'sqlite' as const, path: '.forcegate/partners.db' }),
  encryption: Object.freeze({
    key: Object.freeze({ env: 'FORCEGATE_ENCRYPTION_KEY' }),
    previousKeys: Object.freeze([]) as readonly SecretRef[],
  }),
  registration: Object.freeze({
    defaultScopes: Object.freeze([]) as readonly string[],
    contractApproval: 'auto' as const,
    maxRedirectUris: 10,
    maxRedirectUriLength: 2000,
  }),
  usagePlans: Object.freeze([]) as readonly UsagePlan[],
  contractCacheTtlSeconds: 30,
  contractCacheMaxEntries: 10_000,
  limiterMaxKeys: 100_000,
  admin: Object.freeze({ maxBodyBytes: 65_536 }),
})
