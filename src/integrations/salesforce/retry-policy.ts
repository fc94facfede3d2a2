import { type ApiUsage, allowanceSpent } from './limit-info.ts'

/** How the client backs off when Salesforce answers `REQUEST_LIMIT_EXCEEDED` or 503. */
export interface RetryPolicy {
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 8_000 }

export type Transient = 'limit' | 'unavailable'

/** Whether an answer is worth trying again, and which kind of trouble it is. */
export function transientOf(status: number, errorCode: string | undefined): Transient | undefined {
  if (status === 503 || status === 502) return 'unavailable'
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return 'limit'
  if (errorCode === 'UNABLE_TO_LOCK_ROW' || errorCode === 'SERVER_UNAVAILABLE') return 'unavailable'
  return undefined
}

/**
 * The wait before attempt `attempt + 1`, or undefined to stop: exponential with full jitter,
 * `Retry-After` when the org sends one, and no retry at all when `Sforce-Limit-Info` says the
 * org's daily allowance is spent (it decays over hours, not within a request).
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  usage: ApiUsage | undefined,
  retryAfter: string | undefined,
  random: () => number,
): number | undefined {
  if (attempt + 1 >= policy.attempts || allowanceSpent(usage)) return undefined
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter)
  if (Number.isFinite(seconds) && seconds >= 0) {
    const ms = seconds * 1000
    return ms > policy.maxDelayMs ? undefined : ms
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
