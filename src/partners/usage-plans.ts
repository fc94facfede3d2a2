/**
 * Usage plans with API Gateway's semantics: a token-bucket throttle (`rateLimit` requests per
 * second refilled into a bucket of `burstLimit`) and a request quota per DAY, WEEK or MONTH.
 * Windows are calendar windows in UTC; weeks start on Sunday, as API Gateway's offset 0 does.
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH'

export interface ThrottleSettings {
  /** Steady-state requests per second; fractions allowed (0.5 = one request every 2 s). */
  readonly rateLimit: number
  /** Bucket size: how many requests may arrive at once. */
  readonly burstLimit: number
}

export interface QuotaSettings {
  readonly limit: number
  readonly period: QuotaPeriod
  /**
   * Requests subtracted from the limit in the initial period (API Gateway's current meaning of
   * `offset`); here the initial period is the first window in which a key is seen.
   */
  readonly offset?: number
}

export interface UsagePlan {
  readonly name: string
  readonly throttle?: ThrottleSettings
  readonly quota?: QuotaSettings
}

const PERIODS: readonly QuotaPeriod[] = ['DAY', 'WEEK', 'MONTH']

/** Returns the problems of a plan, each naming the field; empty when the plan is usable. */
export function checkUsagePlan(plan: UsagePlan): readonly string[] {
  const problems: string[] = []
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(plan.name)) problems.push('name: expected 1-64 letters, digits, . _ -')
  if (plan.throttle !== undefined) {
    const { rateLimit, burstLimit } = plan.throttle
    if (!(Number.isFinite(rateLimit) && rateLimit > 0))
      problems.push('throttle.rateLimit: expected a number > 0')
    if (!(Number.isInteger(burstLimit) && burstLimit >= 1))
      problems.push('throttle.burstLimit: expected an integer >= 1')
  }
  if (plan.quota !== undefined) {
    const { limit, period, offset } = plan.quota
    if (!(Number.isInteger(limit) && limit >= 1)) problems.push('quota.limit: expected an integer >= 1')
    if (!PERIODS.includes(period)) problems.push('quota.period: expected DAY, WEEK or MONTH')
    if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0 && offset < limit))
      problems.push('quota.offset: expected an integer from 0 to limit - 1')
  }
  return problems
}

export interface Window {
  /** Inclusive start, milliseconds since the epoch. */
  readonly start: number
  /** Exclusive end. */
  readonly end: number
}

/** The UTC calendar window of `period` that contains `nowMs`. */
export function quotaWindow(period: QuotaPeriod, nowMs: number): Window {
  const d = new Date(nowMs)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  const day = d.getUTCDate()
  if (period === 'DAY') return { start: Date.UTC(y, m, day), end: Date.UTC(y, m, day + 1) }
  if (period === 'WEEK') {
    const start = Date.UTC(y, m, day - d.getUTCDay())
    return { start, end: start + 7 * 86_400_000 }
  }
  return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) }
}

/** Plans by name, checked once; an invalid plan stops configuration, not a request. */
export function compileUsagePlans(plans: readonly UsagePlan[]): ReadonlyMap<string, UsagePlan> {
  const byName = new Map<string, UsagePlan>()
  for (const plan of plans) {
    const problems = checkUsagePlan(plan)
    if (problems.length > 0) throw new RangeError(`usage plan ${plan.name}: ${problems.join('; ')}`)
    if (byName.has(plan.name)) throw new RangeError(`usage plan ${plan.name} is defined twice`)
    byName.set(plan.name, Object.freeze({ ...plan }))
  }
  return byName
}
