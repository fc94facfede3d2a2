import { checkedInteger } from '../../lib/checked-integer.ts'
import { isScopeToken } from './header-safe.ts'
import type { SalesforceEnforcerConfig, SalesforceTokenKind, ScopeRequirement } from './types.ts'

export const ENFORCER_DEFAULTS = {
  ttlSeconds: 300,
  negativeTtlSeconds: 10,
  maxEntries: 10_000,
  retryAfterSeconds: 5,
  timeoutMs: 3_000,
} as const

export interface EnforcerSettings {
  readonly accept: ReadonlySet<SalesforceTokenKind>
  readonly ttlMs: number
  readonly negativeTtlMs: number
  readonly maxEntries: number
  readonly retryAfterSeconds: number
  readonly timeoutMs: number
}

const KINDS: readonly SalesforceTokenKind[] = ['jwt', 'opaque', 'session']

/** Mistakes surface as TypeErrors at start-up, not as puzzling 401s later. */
export function checkedSettings(config: SalesforceEnforcerConfig): EnforcerSettings {
  if (typeof config.id !== 'string' || config.id === '') throw new TypeError('id must be a non-empty string')
  const where = `Salesforce enforcer ${config.id}`
  if (!Array.isArray(config.accept) || config.accept.length === 0) {
    throw new TypeError(`${where}: accept must list at least one of ${KINDS.join(', ')}`)
  }
  for (const kind of config.accept) {
    if (!KINDS.includes(kind)) throw new TypeError(`${where}: unknown token kind ${String(kind)}`)
  }
  return {
    accept: new Set(config.accept),
    ttlMs:
      1000 *
      checkedInteger(
        config.cache?.ttlSeconds,
        ENFORCER_DEFAULTS.ttlSeconds,
        0,
        3600,
        `${where}: cache.ttlSeconds`,
      ),
    negativeTtlMs:
      1000 *
      checkedInteger(
        config.cache?.negativeTtlSeconds,
        ENFORCER_DEFAULTS.negativeTtlSeconds,
        0,
        300,
        `${where}: cache.negativeTtlSeconds`,
      ),
    maxEntries: checkedInteger(
      config.cache?.maxEntries,
      ENFORCER_DEFAULTS.maxEntries,
      1,
      1_000_000,
      `${where}: cache.maxEntries`,
    ),
    retryAfterSeconds: checkedInteger(
      config.failure?.retryAfterSeconds,
      ENFORCER_DEFAULTS.retryAfterSeconds,
      1,
      3600,
      `${where}: failure.retryAfterSeconds`,
    ),
    timeoutMs: checkedInteger(
      config.timeoutMs,
      ENFORCER_DEFAULTS.timeoutMs,
      1,
      60_000,
      `${where}: timeoutMs`,
    ),
  }
}

export function checkedScopes(scopes: ScopeRequirement): ScopeRequirement {
  if (scopes.scopeMode !== 'all' && scopes.scopeMode !== 'any') {
    throw new TypeError(`scopeMode must be 'all' or 'any'`)
  }
  if (!Array.isArray(scopes.requiredScopes) || !scopes.requiredScopes.every(isScopeToken)) {
    throw new TypeError('requiredScopes must be scope tokens (visible ASCII, no quotes or spaces)')
  }
  return Object.freeze({
    requiredScopes: Object.freeze([...scopes.requiredScopes]),
    scopeMode: scopes.scopeMode,
  })
}
