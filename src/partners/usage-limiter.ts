import type { Clock } from '../cache/ttl-lru.ts'
import { quotaWindow, type UsagePlan } from './usage-plans.ts'

/** The figures reported in rate-limit headers: the plan's quota when it has one, else its bucket. */
export interface RateLimitState {
  readonly limit: number
  readonly remaining: number
  /** Seconds until `remaining` is back to `limit` (quota: the window's end). */
  readonly resetSeconds: number
}

export type UsageOutcome =
  | { readonly allowed: true; readonly state: RateLimitState | undefined }
  | {
      readonly allowed: false
      readonly kind: 'throttle' | 'quota'
      readonly retryAfterSeconds: number
      readonly state: RateLimitState
    }

/**
 * Counts requests against usage plans. `key` is whatever identifies the caller for the plan
 * (the token's client id, or an authorizer's `usageIdentifierKey`). Async so a shared backend
 * (Redis) can implement it for a fleet of gateways.
 */
export interface UsageLimiter {
  consume(key: string, plan: UsagePlan): Promise<UsageOutcome>
}

interface KeyState {
  tokens: number
  refilledAt: number
  windowStart: number
  used: number
  /** Start of the first window this key was seen in: the plan offset applies there only. */
  firstWindowStart: number
}

export interface InProcessUsageLimiterOptions {
  readonly clock?: Clock
  /** Keys tracked at once; the least recently used is forgotten beyond this. */
  readonly maxKeys?: number
}

const ceilSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

/**
 * One process's limiter: a token bucket per key for the throttle and a fixed calendar window
 * for the quota. A throttled or over-quota request consumes nothing, so a client that backs off
 * gets its full allowance back. Memory is bounded by `maxKeys`; forgetting a key resets its
 * counts, so size it above the number of active clients.
 */
export class InProcessUsageLimiter implements UsageLimiter {
  readonly #clock: Clock
  readonly #maxKeys: number
  readonly #states = new Map<string, KeyState>()

  constructor(options: InProcessUsageLimiterOptions = {}) {
    this.#clock = options.clock ?? Date.now
    this.#maxKeys = options.maxKeys ?? 100_000
    if (!Number.isInteger(this.#maxKeys) || this.#maxKeys < 1) throw new RangeError('maxKeys must be >= 1')
  }

  get size(): number {
    return this.#states.size
  }

  async consume(key: string, plan: UsagePlan): Promise<UsageOutcome> {
    return this.consumeNow(key, plan)
  }

  /** The synchronous core, for callers on the request path that do not need a shared backend. */
  consumeNow(key: string, plan: UsagePlan): UsageOutcome {
    const now = this.#clock()
    const state = this.#stateOf(`${plan.name}\u0000${key}`, plan, now)
    const { throttle, quota } = plan

    if (throttle !== undefined) {
      const elapsed = Math.max(0, now - state.refilledAt) / 1000
      state.tokens = Math.min(throttle.burstLimit, state.tokens + elapsed * throttle.rateLimit)
      state.refilledAt = now
    }
    let quotaLimit = 0
    let windowEnd = 0
    if (quota !== undefined) {
      const window = quotaWindow(quota.period, now)
      if (window.start !== state.windowStart) {
        state.windowStart = window.start
        state.used = 0
      }
      quotaLimit = quota.limit - (window.start === state.firstWindowStart ? (quota.offset ?? 0) : 0)
      windowEnd = window.end
    }
    const report = (): RateLimitState | undefined => {
      if (quota !== undefined)
        return {
          limit: quotaLimit,
          remaining: Math.max(0, quotaLimit - state.used),
          resetSeconds: ceilSeconds(windowEnd - now),
        }
      if (throttle !== undefined) {
        const missing = throttle.burstLimit - state.tokens
        return {
          limit: throttle.burstLimit,
          remaining: Math.floor(state.tokens),
          resetSeconds: missing <= 0 ? 0 : ceilSeconds((missing / throttle.rateLimit) * 1000),
        }
      }
      return undefined
    }

    if (throttle !== undefined && state.tokens < 1) {
      const waitMs = ((1 - state.tokens) / throttle.rateLimit) * 1000
      return { allowed: false, kind: 'throttle', retryAfterSeconds: ceilSeconds(waitMs), state: report()! }
    }
    if (quota !== undefined && state.used >= quotaLimit) {
      return {
        allowed: false,
        kind: 'quota',
        retryAfterSeconds: ceilSeconds(windowEnd - now),
        state: report()!,
      }
    }
    if (throttle !== undefined) state.tokens -= 1
    if (quota !== undefined) state.used += 1
    return { allowed: true, state: report() }
  }

  #stateOf(id: string, plan: UsagePlan, now: number): KeyState {
    let state = this.#states.get(id)
    if (state === undefined) {
      const windowStart = plan.quota === undefined ? 0 : quotaWindow(plan.quota.period, now).start
      state = {
        tokens: plan.throttle?.burstLimit ?? 0,
        refilledAt: now,
        windowStart,
        used: 0,
        firstWindowStart: windowStart,
      }
    } else {
      this.#states.delete(id)
    }
    // Re-inserting keeps Map order = recency, so the first key is the least recently used.
    this.#states.set(id, state)
    if (this.#states.size > this.#maxKeys) {
      const oldest = this.#states.keys().next()
      if (oldest.done !== true) this.#states.delete(oldest.value)
    }
    return state
  }
}
