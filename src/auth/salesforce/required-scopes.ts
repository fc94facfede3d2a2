import type { ScopeMode } from './types.ts'

/**
 * Salesforce's `full` stands for every scope Salesforce itself defines except the refresh
 * grant (salesforce.md 3.12). It never stands for a custom scope: those are the API
 * owner's authorization, granted per connected app, and Salesforce does not interpret them.
 */
export const SCOPES_IMPLIED_BY_FULL: ReadonlySet<string> = new Set([
  'api',
  'web',
  'id',
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'visualforce',
  'lightning',
  'content',
  'chatter_api',
  'wave_api',
  'eclair_api',
  'pardot_api',
  'custom_permissions',
  'chatbot_api',
  'interaction_api',
  'einstein_gpt_api',
  'sfap_api',
  'cdp_api',
  'cdp_ingest_api',
  'cdp_query_api',
  'cdp_profile_api',
  'cdp_segment_api',
  'cdp_calculated_insight_api',
  'cdp_identityresolution_api',
  'user_registration_api',
  'pwdless_login_api',
  'forgot_password',
  'mcp_api',
])

export function grantsScope(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true
  return SCOPES_IMPLIED_BY_FULL.has(scope) && granted.includes('full')
}

/** A route without required scopes accepts any valid token; `any` needs one, `all` every one. */
export function grantsRequiredScopes(
  granted: readonly string[],
  required: readonly string[],
  mode: ScopeMode,
): boolean {
  if (required.length === 0) return true
  return mode === 'all'
    ? required.every((scope) => grantsScope(granted, scope))
    : required.some((scope) => grantsScope(granted, scope))
}
