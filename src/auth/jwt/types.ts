/** Public shapes of the JWT verifier and the HTTP API JWT authorizer. */

/** Asymmetric algorithms only: symmetric ones would let a public key double as an HMAC secret. */
export type JwtAlgorithm = 'RS256' | 'ES256'

export const SUPPORTED_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'ES256']

export interface JwtIssuerConfig {
  /** Compared with the token's `iss` as an exact string (a trailing slash matters). */
  readonly issuer: string
  /**
   * Accepted audiences: the token's `aud` (string or array, any match) or, when `aud` is absent,
   * its `client_id`. `null` switches the check off and must be spelled out.
   */
  readonly audience: readonly string[] | null
  /** When absent, read once from `{issuer}/.well-known/openid-configuration`. */
  readonly jwksUri?: string
  /** Defaults to `['RS256']`, the only family the HTTP API JWT authorizer accepts. */
  readonly algorithms?: readonly JwtAlgorithm[]
  /** Required `typ` header, e.g. `at+jwt` (an `application/` prefix is accepted, case-insensitively). */
  readonly requiredTokenType?: string
}

export interface JwtVerifierOptions {
  readonly issuers: readonly JwtIssuerConfig[]
  /** Leeway for `exp`, `nbf` and `iat`; default 5, at most 300. */
  readonly clockToleranceSeconds?: number
  /** Tokens longer than this are rejected before any decoding; default 8192. */
  readonly maxTokenBytes?: number
  /** Upper bound on `exp - now` (and `exp - iat`); default 86400 (24 h). */
  readonly maxTokenLifetimeSeconds?: number
  readonly fetch?: typeof fetch
  /** Milliseconds since the epoch. */
  readonly clock?: () => number
  readonly jwks?: JwksCacheOptions
}

export interface JwksCacheOptions {
  /** Age after which a key set is refreshed before use; default 10 minutes. */
  readonly maxAgeMs?: number
  /** Age up to which a key set is still used when a refresh fails; default 24 hours. */
  readonly staleIfErrorMs?: number
  /** Minimum gap between refetches triggered by an unknown `kid`; default 30 s. */
  readonly cooldownMs?: number
  /** Minimum gap between attempts after a failed fetch; default 5 s. */
  readonly failureBackoffMs?: number
  /** Per request (discovery or JWKS); default 1500 ms, API Gateway's HTTP API quota. */
  readonly timeoutMs?: number
  /** Response body limit; default 150000 bytes, API Gateway's HTTP API quota. */
  readonly maxResponseBytes?: number
  /** Keys beyond this count in one JWKS are ignored; default 50. */
  readonly maxKeys?: number
}

export type JwtHeader = Readonly<Record<string, unknown>> & { readonly alg: JwtAlgorithm }
export type JwtClaims = Readonly<Record<string, unknown>>

export interface VerifiedJwt {
  readonly header: JwtHeader
  readonly claims: JwtClaims
  /** The registered issuer that vouched for the token. */
  readonly issuer: string
  /** From `scope` (space-separated) or, failing that, `scp` (array or string). */
  readonly scopes: readonly string[]
  /** Whether the token carried a `scope` or `scp` claim at all. */
  readonly hasScopeClaim: boolean
  /** The token's `exp`, in seconds since the epoch. */
  readonly exp: number
}

export interface JwtVerifier {
  verify(token: string): Promise<VerifiedJwt>
}
