import { SingleFlight } from '../../cache/single-flight.ts'
import { type Clock, TtlLru } from '../../cache/ttl-lru.ts'
import { sha256 } from '../../lib/digest.ts'
import type { AuthorizerOutput } from './output.ts'

export const MAX_TTL_SECONDS = 3600
export const DEFAULT_MAX_ENTRIES = 10_000

/**
 * Key of one cached authorizer result: a hash of the authorizer, the stage (API Gateway keeps
 * one cache per stage) and every identity value in configured order. JSON encoding keeps
 * `["a,b","c"]` and `["a","b,c"]` apart; hashing keeps tokens out of memory dumps and logs.
 */
export function resultCacheKey(
  authorizerId: string,
  stage: string,
  identityValues: readonly string[],
): string {
  return sha256(JSON.stringify([authorizerId, stage, ...identityValues]), 'hex')
}

export type ResultSource = 'cache' | 'invoke' | 'joined'

export interface CachedResult {
  readonly output: AuthorizerOutput
  /** `cache`: stored result; `invoke`: this call ran the authorizer; `joined`: waited on another call's run. */
  readonly source: ResultSource
  /** How long the authorizer ran, for the run that produced this result. */
  readonly latencyMs: number
}

interface Loaded {
  readonly output: AuthorizerOutput
  readonly latencyMs: number
}

/**
 * The authorizer result cache. It stores the parsed output (compiled policy, principal,
 * context), never a decision: each request re-evaluates the cached policy against its own
 * ARN, which is how a policy written for one path denies the next one, as on AWS
 * (vector `cache-narrow-policy-denies-next-path`). Failures and 401s are never stored.
 */
export class AuthorizerResultCache {
  readonly #entries: TtlLru<Loaded>
  readonly #flights = new SingleFlight<Loaded>()

  constructor(maxEntries: number = DEFAULT_MAX_ENTRIES, clock?: Clock) {
    this.#entries = new TtlLru<Loaded>(maxEntries, clock)
  }

  /** The stored output for `key`, synchronously: the request path decides a hit without a promise. */
  peek(key: string): Loaded | undefined {
    return this.#entries.get(key)
  }

  /**
   * The cached output for `key`, or the result of `load`, shared by concurrent callers and
   * stored for `ttlMs`. `load` rejects for anything that must not be cached.
   */
  async getOrLoad(key: string, ttlMs: number, load: () => Promise<Loaded>): Promise<CachedResult> {
    const hit = this.#entries.get(key)
    if (hit !== undefined) return { ...hit, source: 'cache' }
    let ran = false
    const loaded = await this.#flights.run(key, async () => {
      ran = true
      const value = await load()
      this.#entries.set(key, value, ttlMs)
      return value
    })
    return { ...loaded, source: ran ? 'invoke' : 'joined' }
  }

  get size(): number {
    return this.#entries.size
  }
}
