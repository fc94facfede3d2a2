/** Public shapes of Salesforce token enforcement. */

/** Credential families a route may accept (salesforce.md 4.1). */
export type SalesforceTokenKind = 'jwt' | 'opaque' | 'session'

export type ScopeMode = 'all' | 'any'

export interface SalesforceOrgConfig {
  /** My Domain (or login host) URL; compared exactly with a JWT access token's `iss`. */
  readonly issuer: string
  /** 15 or 18 characters; opaque tokens whose `00D` prefix differs are refused without a call. */
  readonly orgId?: string
  /** The gateway's own connected app; required when opaque tokens are accepted. */
  readonly introspection?: { readonly clientId: string; readonly clientSecret: string }
  /** Defaults to `{issuer}/services/oauth2/introspect`. */
  readonly introspectionUrl?: string
  /** Defaults to `{issuer}/services/oauth2/userinfo`. */
  readonly userinfoUrl?: string
  /** Defaults to `{issuer}/id/keys`, where the org publishes its JWT access token keys. */
  readonly jwksUri?: string
  /** Accepted `aud` values of JWT access tokens; defaults to `[issuer]`. */
  readonly jwtAudience?: readonly string[]
}

export interface SalesforceEnforcerConfig {
  readonly id: string
  readonly org: SalesforceOrgConfig
  readonly accept: readonly SalesforceTokenKind[]
  readonly requiredScopes: readonly string[]
  readonly scopeMode: ScopeMode
  readonly cache?: {
    /** Lifetime of a positive decision, capped by the token's `exp`; default 300. */
    readonly ttlSeconds?: number
    /** Lifetime of an inactive or rejected decision; default 10. */
    readonly negativeTtlSeconds?: number
    /** Bound of each cache (positive and negative separately); default 10000. */
    readonly maxEntries?: number
  }
  readonly failure?: { readonly retryAfterSeconds?: number }
  /** Deadline of each call to the org; default 3000. */
  readonly timeoutMs?: number
}

export interface SalesforceEnforcerDeps {
  readonly fetch?: typeof fetch
  /** Milliseconds since the epoch. */
  readonly clock?: () => number
}

/** Who is calling, as the org vouched for it. Strings here never contain control characters. */
export interface SalesforceIdentity {
  /** 15 or 18 characters, `005…`. */
  readonly userId: string
  /** As the org reported it (18 characters from introspection and userinfo). */
  readonly orgId: string
  readonly username?: string
  /** The connected app the token was issued to; unknown for session IDs checked at userinfo. */
  readonly clientId: string | undefined
  readonly scopes: readonly string[]
  readonly tokenKind: SalesforceTokenKind
  /** Milliseconds since the epoch; unknown when the org did not say. */
  readonly expiresAt: number | undefined
  readonly fromCache: boolean
}

/** One entry of the decision trail; never holds a token, only its short hash. */
export type ExplainStep = Record<string, unknown>
export type Explain = (step: ExplainStep) => void

export interface ScopeRequirement {
  readonly requiredScopes: readonly string[]
  readonly scopeMode: ScopeMode
}

export interface SalesforceEnforcer {
  readonly id: string
  authenticate(
    authorizationHeaderValues: readonly string[] | undefined,
    explain?: Explain,
  ): Promise<SalesforceIdentity>
  /** The same org, caches and in-flight calls, with another route's scopes. */
  forRoute(scopes: ScopeRequirement): SalesforceEnforcer
}

/** An identity as the org vouched for it, before the cache says where it came from. */
export type ResolvedIdentity = Omit<SalesforceIdentity, 'fromCache'>
