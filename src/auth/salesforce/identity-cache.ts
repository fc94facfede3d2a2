import { SingleFlight } from '../../cache/single-flight.ts'
import { type Clock, TtlLru } from '../../cache/ttl-lru.ts'
import { tokenDigest } from '../jwt/verified-token-cache.ts'
import type { ResolvedIdentity } from './types.ts'

export interface IdentityCacheOptions {
  readonly ttlMs: number
  readonly negativeTtlMs: number
  readonly maxEntries: number
}

/**
 * Identities (not decisions) per token digest, so every route re-checks its own scopes
 * against a cached identity (the lesson of CVE-2021-32701). Positive entries live until the
 * configured TTL or the token's expiry, whichever comes first; rejections live briefly in a
 * separate bounded map, so a flood of garbage tokens can neither evict good identities nor
 * reach the org more than once per token and window. Failures of the org are never stored.
 * Concurrent first uses of one token share one lookup.
 *
 * One cache belongs to one enforcer, and so to one org: a token is never judged by an
 * entry another org produced (CVE-2026-33496).
 */
export class IdentityCache {
  readonly #positive: TtlLru<ResolvedIdentity>
  readonly #negative: TtlLru<string>
  readonly #flight = new SingleFlight<ResolvedIdentity>()
  readonly #clock: Clock
  readonly #options: IdentityCacheOptions

  constructor(clock: Clock, options: IdentityCacheOptions) {
    this.#clock = clock
    this.#options = options
    this.#positive = new TtlLru(options.maxEntries, clock)
    this.#negative = new TtlLru(options.maxEntries, clock)
  }

  static keyOf(token: string): string {
    return tokenDigest(token)
  }

  identity(key: string): ResolvedIdentity | undefined {
    return this.#positive.get(key)
  }

  /** The reason of a recent rejection of this token, if any. */
  rejection(key: string): string | undefined {
    return this.#negative.get(key)
  }

  remember(key: string, identity: ResolvedIdentity): void {
    const untilExpiry =
      identity.expiresAt === undefined ? Number.POSITIVE_INFINITY : identity.expiresAt - this.#clock()
    this.#positive.set(key, identity, Math.min(this.#options.ttlMs, untilExpiry))
  }

  rememberRejection(key: string, reason: string): void {
    this.#negative.set(key, reason, this.#options.negativeTtlMs)
  }

  /** Runs `lookup` unless one is already running for `key`, in which case its result is shared. */
  lookup(
    key: string,
    work: () => Promise<ResolvedIdentity>,
  ): { result: Promise<ResolvedIdentity>; joined: boolean } {
    let started = false
    const result = this.#flight.run(key, () => {
      started = true
      return work()
    })
    return { result, joined: !started }
  }
}
