import { SingleFlight } from '../../cache/single-flight.ts'
import { type Clock, TtlLru } from '../../cache/ttl-lru.ts'
import { sha256 } from '../../lib/digest.ts'

export const DEFAULT_VERIFIED_CACHE_ENTRIES = 10_000
/** Bounds how long a key removed from the issuer's JWKS keeps vouching for cached tokens. */
export const DEFAULT_VERIFIED_CACHE_MAX_TTL_MS = 5 * 60_000

export interface VerifiedTokenCacheOptions {
  readonly maxEntries?: number
  readonly maxTtlMs?: number
}

/**
 * Remembers tokens that passed verification, so each is verified once. Keys are SHA-256
 * digests (a memory dump or a debug print never shows a usable token); an entry lives until
 * the token's `exp` or the TTL cap, whichever comes first, so the cache never outlives the
 * credential. Failures are not cached. Concurrent first uses of one token share a single
 * verification.
 */
export class VerifiedTokenCache<V> {
  readonly #entries: TtlLru<V>
  readonly #flight = new SingleFlight<{ value: V; expSeconds: number }>()
  readonly #clock: Clock
  readonly #maxTtlMs: number

  constructor(clock: Clock, options: VerifiedTokenCacheOptions = {}) {
    this.#clock = clock
    this.#maxTtlMs = options.maxTtlMs ?? DEFAULT_VERIFIED_CACHE_MAX_TTL_MS
    this.#entries = new TtlLru<V>(options.maxEntries ?? DEFAULT_VERIFIED_CACHE_ENTRIES, clock)
  }

  /** Returns the cached value, or runs `verify` (once across concurrent callers) and caches it. */
  async getOrVerify(
    token: string,
    verify: () => Promise<{ value: V; expSeconds: number }>,
  ): Promise<{ value: V; fromCache: boolean }> {
    const key = tokenDigest(token)
    const hit = this.#entries.get(key)
    if (hit !== undefined) return { value: hit, fromCache: true }
    const { value } = await this.#flight.run(key, async () => {
      const result = await verify()
      const untilExpMs = result.expSeconds * 1000 - this.#clock()
      this.#entries.set(key, result.value, Math.min(untilExpMs, this.#maxTtlMs))
      return result
    })
    return { value, fromCache: false }
  }

  get size(): number {
    return this.#entries.size
  }
}

export function tokenDigest(token: string): string {
  return sha256(token, 'base64url')
}
