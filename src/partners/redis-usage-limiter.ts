import { createHash } from 'node:crypto'
import { GatewayError } from '../errors/gateway-error.ts'
import { sha256 } from '../lib/digest.ts'
import { InProcessUsageLimiter, type UsageLimiter, type UsageOutcome } from './usage-limiter.ts'
import type { UsagePlan } from './usage-plans.ts'
import { USAGE_LUA } from './usage-script.ts'

/** What to answer when Redis does not: refuse (503) or count in this process alone. */
export type StoreErrorMode = 'closed' | 'local'

export interface ScriptArguments {
  readonly keys: string[]
  readonly arguments: string[]
}

/** The two calls of a Redis client the limiter uses (node-redis's `evalSha` and `eval`). */
export interface ScriptClient {
  evalSha(sha1: string, options: ScriptArguments): Promise<unknown>
  eval(script: string, options: ScriptArguments): Promise<unknown>
}

export interface StoreErrorEvent {
  readonly mode: StoreErrorMode
  /** `failing` on the first error after a success, `recovered` on the first success after errors. */
  readonly state: 'failing' | 'recovered'
  readonly error?: unknown
}

export interface RedisUsageLimiterOptions {
  readonly client: ScriptClient
  readonly onStoreError: StoreErrorMode
  /** Gateway instances sharing the plans: in `local` mode each admits 1/N of the plan. */
  readonly instances: number
  /** Retry-After of the 503 in `closed` mode. */
  readonly retryAfterSeconds?: number
  /** Key prefix, so several gateways can share one Redis. */
  readonly prefix?: string
  /** The per-process limiter used in `local` mode (tests inject one with a test clock). */
  readonly local?: InProcessUsageLimiter
  /** Told when Redis starts failing and when it answers again, for logs. */
  readonly onStateChange?: (event: StoreErrorEvent) => void
}

export interface RedisUsageStats {
  readonly storeErrors: number
  readonly localDecisions: number
  readonly refusedUnavailable: number
}

// EVALSHA names scripts by SHA-1: Redis's identifier, not a security digest.
const SCRIPT_SHA = createHash('sha1').update(USAGE_LUA).digest('hex')

const ceilSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

/** Partners whose Redis key names are remembered; past it the memo starts again. */
const KEY_MEMO_ENTRIES = 10_000

/**
 * Usage plans counted in Redis for a fleet of gateways: each request is one script run (see
 * usage-script.ts), so while Redis answers the throttle and the quota hold across instances
 * exactly as in one process. The client has no offline queue and short command timeouts, so an
 * outage costs a request at most one timeout; what it is answered then is `onStoreError`.
 */
export class RedisUsageLimiter implements UsageLimiter {
  readonly #client: ScriptClient
  readonly #mode: StoreErrorMode
  readonly #instances: number
  readonly #retryAfter: string
  readonly #prefix: string
  readonly #local: InProcessUsageLimiter
  readonly #onStateChange: ((event: StoreErrorEvent) => void) | undefined
  readonly #localPlans = new WeakMap<UsagePlan, UsagePlan>()
  readonly #arguments = new WeakMap<UsagePlan, string[]>()
  readonly #keys = new Map<string, string[]>()
  #failing = false
  #stats = { storeErrors: 0, localDecisions: 0, refusedUnavailable: 0 }

  constructor(options: RedisUsageLimiterOptions) {
    if (!Number.isInteger(options.instances) || options.instances < 1)
      throw new RangeError('instances must be an integer >= 1')
    this.#client = options.client
    this.#mode = options.onStoreError
    this.#instances = options.instances
    this.#retryAfter = String(options.retryAfterSeconds ?? 1)
    this.#prefix = options.prefix ?? 'forcegate:usage'
    this.#local = options.local ?? new InProcessUsageLimiter()
    this.#onStateChange = options.onStateChange
  }

  get stats(): RedisUsageStats {
    return { ...this.#stats }
  }

  async consume(key: string, plan: UsagePlan): Promise<UsageOutcome> {
    if (plan.throttle === undefined && plan.quota === undefined) return { allowed: true, state: undefined }
    let reply: unknown
    try {
      reply = await this.#run(this.#keysOf(key, plan), this.#argumentsOf(plan))
    } catch (error) {
      return this.#unavailable(key, plan, error)
    }
    if (this.#failing) {
      this.#failing = false
      this.#onStateChange?.({ mode: this.#mode, state: 'recovered' })
    }
    return outcomeOf(reply)
  }

  /**
   * Keys named by a digest of plan and usage key inside one hash tag: any characters are safe.
   * Remembered for the partners seen lately, so a request does not hash them again.
   */
  #keysOf(key: string, plan: UsagePlan): string[] {
    const id = `${plan.name}\u0000${key}`
    let keys = this.#keys.get(id)
    if (keys === undefined) {
      const tag = `{${sha256(id, 'base64url')}}`
      keys = [`${this.#prefix}:${tag}:bucket`, `${this.#prefix}:${tag}:quota`]
      if (this.#keys.size >= KEY_MEMO_ENTRIES) this.#keys.clear()
      this.#keys.set(id, keys)
    }
    return keys
  }

  #argumentsOf(plan: UsagePlan): string[] {
    let args = this.#arguments.get(plan)
    if (args === undefined) {
      args = argumentsOf(plan)
      this.#arguments.set(plan, args)
    }
    return args
  }

  async #run(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.#client.evalSha(SCRIPT_SHA, { keys, arguments: args })
    } catch (error) {
      // A restarted or flushed Redis has forgotten the script; EVAL loads it again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await this.#client.eval(USAGE_LUA, { keys, arguments: args })
    }
  }

  #unavailable(key: string, plan: UsagePlan, error: unknown): UsageOutcome {
    this.#stats.storeErrors++
    if (!this.#failing) {
      this.#failing = true
      this.#onStateChange?.({ mode: this.#mode, state: 'failing', error })
    }
    if (this.#mode === 'closed') {
      this.#stats.refusedUnavailable++
      throw new GatewayError('GW_USAGE_STORE_UNAVAILABLE', {
        reason: 'usage.store_unavailable',
        detail: `usage store did not answer for plan ${plan.name}: ${(error as Error)?.message ?? error}`,
        headers: { 'Retry-After': this.#retryAfter },
        cause: error,
      })
    }
    this.#stats.localDecisions++
    return this.#local.consumeNow(key, this.#localPlan(plan))
  }

  /** The plan's 1/N share, so N instances counting alone admit no more than the plan together. */
  #localPlan(plan: UsagePlan): UsagePlan {
    let local = this.#localPlans.get(plan)
    if (local === undefined) {
      const n = this.#instances
      local = Object.freeze({
        name: plan.name,
        ...(plan.throttle === undefined
          ? {}
          : {
              throttle: {
                rateLimit: plan.throttle.rateLimit / n,
                burstLimit: Math.max(1, Math.floor(plan.throttle.burstLimit / n)),
              },
            }),
        ...(plan.quota === undefined
          ? {}
          : { quota: { limit: Math.max(1, Math.floor(plan.quota.limit / n)), period: plan.quota.period } }),
      })
      this.#localPlans.set(plan, local)
    }
    return local
  }
}

function argumentsOf(plan: UsagePlan): string[] {
  return [
    String(plan.throttle?.rateLimit ?? 0),
    String(plan.throttle?.burstLimit ?? 0),
    String(plan.quota?.limit ?? 0),
    plan.quota?.period ?? 'DAY',
    String(plan.quota?.offset ?? 0),
  ]
}

function outcomeOf(reply: unknown): UsageOutcome {
  if (!Array.isArray(reply) || reply.length !== 7) throw new Error('unexpected usage script reply')
  const [allowed, kind, retryMs, limit, remaining, resetMs, hasReport] = reply.map(Number) as number[]
  const state =
    hasReport === 1
      ? { limit: limit!, remaining: remaining!, resetSeconds: resetMs! <= 0 ? 0 : ceilSeconds(resetMs!) }
      : undefined
  if (allowed === 1) return { allowed: true, state }
  return {
    allowed: false,
    kind: kind === 1 ? 'throttle' : 'quota',
    retryAfterSeconds: ceilSeconds(retryMs!),
    state: state!,
  }
}
