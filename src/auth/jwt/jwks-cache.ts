import { SingleFlight } from '../../cache/single-flight.ts'
import { fetchBoundedJson, KeySourceFetchError } from './bounded-json-fetch.ts'
import { parseFetchableUrl } from './fetchable-url.ts'
import { keysUnavailable, tokenInvalid } from './jwt-failure.ts'
import type { JwksCacheOptions, JwtAlgorithm } from './types.ts'
import { importVerificationKeys, selectKey, type VerificationKey } from './verification-keys.ts'

export const JWKS_DEFAULTS: Required<JwksCacheOptions> = {
  maxAgeMs: 10 * 60_000,
  staleIfErrorMs: 24 * 60 * 60_000,
  cooldownMs: 30_000,
  failureBackoffMs: 5_000,
  timeoutMs: 1_500,
  maxResponseBytes: 150_000,
  maxKeys: 50,
}

export interface JwksCacheDeps {
  readonly fetch: typeof fetch
  readonly clock: () => number
}

/**
 * One issuer's signing keys. The key set URL comes from configuration or from the issuer's
 * own discovery document, never from a token. Fetches are single-flight; an unknown `kid`
 * (how key rotation shows up) triggers at most one refetch per cooldown, so a flood of
 * random kids costs the IdP one request per window; after a failed fetch nothing is tried
 * again until the failure backoff has passed.
 *
 * Outcomes: a key; 401 `jwks.kid_not_found` when a key set is held but has no fitting key
 * (also when the refetch for an unknown kid fails: an unreachable IdP must not turn forged
 * kids into anything but a rejection); 503 when no key set younger than the stale window
 * could ever be loaded (fail closed, with `Retry-After`).
 */
export class JwksCache {
  readonly issuer: string
  readonly #options: Required<JwksCacheOptions>
  readonly #deps: JwksCacheDeps
  readonly #flight = new SingleFlight<readonly VerificationKey[]>()
  #jwksUrl: URL | undefined
  #keys: readonly VerificationKey[] | undefined
  #loadedAt = Number.NEGATIVE_INFINITY
  #lastAttemptAt = Number.NEGATIVE_INFINITY
  #lastFailureAt = Number.NEGATIVE_INFINITY

  constructor(
    issuer: string,
    jwksUri: string | undefined,
    deps: JwksCacheDeps,
    options: JwksCacheOptions = {},
  ) {
    this.issuer = issuer
    this.#deps = deps
    this.#options = { ...JWKS_DEFAULTS, ...options }
    this.#jwksUrl = jwksUri === undefined ? undefined : parseFetchableUrl(jwksUri, 'jwksUri')
  }

  async getKey(kid: string | undefined, alg: JwtAlgorithm): Promise<VerificationKey> {
    const keys = await this.#currentKeys()
    const key = selectKey(keys, kid, alg)
    if (key !== undefined) return key
    if (this.#deps.clock() - this.#lastAttemptAt < this.#options.cooldownMs) {
      throw tokenInvalid('jwks.kid_not_found', 'no fitting key; refetch cooling down')
    }
    let fresh: readonly VerificationKey[]
    try {
      fresh = await this.#refresh()
    } catch {
      throw tokenInvalid('jwks.kid_not_found', 'no fitting key; refetch failed')
    }
    const rotated = selectKey(fresh, kid, alg)
    if (rotated === undefined) throw tokenInvalid('jwks.kid_not_found', 'no fitting key after refetch')
    return rotated
  }

  async #currentKeys(): Promise<readonly VerificationKey[]> {
    const now = this.#deps.clock()
    const held = this.#keys
    if (held !== undefined && now - this.#loadedAt < this.#options.maxAgeMs) return held
    try {
      return await this.#refresh()
    } catch (err) {
      // A refresh that fails leaves the last good set in service for a bounded stale window.
      if (held !== undefined && now - this.#loadedAt < this.#options.staleIfErrorMs) return held
      throw keysUnavailable(this.#options.failureBackoffMs / 1000, err)
    }
  }

  #refresh(): Promise<readonly VerificationKey[]> {
    return this.#flight.run('jwks', async () => {
      const now = this.#deps.clock()
      if (now - this.#lastFailureAt < this.#options.failureBackoffMs) {
        throw new KeySourceFetchError('backing off after a failed fetch')
      }
      this.#lastAttemptAt = now
      try {
        const url = this.#jwksUrl ?? (await this.#discoverJwksUrl())
        const document = await fetchBoundedJson(this.#deps.fetch, url, this.#limits())
        const keys = importVerificationKeys(document, this.#options.maxKeys)
        if (keys.length === 0) throw new KeySourceFetchError('key set holds no usable key')
        this.#keys = keys
        this.#loadedAt = this.#deps.clock()
        return keys
      } catch (err) {
        this.#lastFailureAt = this.#deps.clock()
        throw err
      }
    })
  }

  /** OpenID Connect Discovery 1.0 §4; the document must name the very issuer we asked about. */
  async #discoverJwksUrl(): Promise<URL> {
    const base = this.issuer.endsWith('/') ? this.issuer.slice(0, -1) : this.issuer
    const discoveryUrl = parseFetchableUrl(`${base}/.well-known/openid-configuration`, 'discovery URL')
    const document = await fetchBoundedJson(this.#deps.fetch, discoveryUrl, this.#limits())
    if (typeof document !== 'object' || document === null) {
      throw new KeySourceFetchError('discovery document is not an object')
    }
    const { issuer, jwks_uri: jwksUri } = document as { issuer?: unknown; jwks_uri?: unknown }
    if (issuer !== this.issuer) throw new KeySourceFetchError('discovery document names another issuer')
    if (typeof jwksUri !== 'string') throw new KeySourceFetchError('discovery document has no jwks_uri')
    let url: URL
    try {
      url = parseFetchableUrl(jwksUri, 'jwks_uri')
    } catch (err) {
      throw new KeySourceFetchError('discovery document jwks_uri is not acceptable', { cause: err })
    }
    this.#jwksUrl = url
    return url
  }

  #limits() {
    return { timeoutMs: this.#options.timeoutMs, maxBytes: this.#options.maxResponseBytes }
  }
}
