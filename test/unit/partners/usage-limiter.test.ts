import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InProcessUsageLimiter, type UsageOutcome } from '../../../src/partners/usage-limiter.ts'
import type { UsagePlan } from '../../../src/partners/usage-plans.ts'

function fakeClock(start: number) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0) // a Thursday, 12:00 UTC

function allowedCount(limiter: InProcessUsageLimiter, key: string, plan: UsagePlan, n: number) {
  let allowed = 0
  let last: UsageOutcome | undefined
  for (let i = 0; i < n; i++) {
    last = limiter.consumeNow(key, plan)
    if (last.allowed) allowed++
  }
  return { allowed, last: last! }
}

describe('InProcessUsageLimiter throttle (token bucket)', () => {
  const plan: UsagePlan = { name: 'gold', throttle: { rateLimit: 2, burstLimit: 5 } }

  it('lets a burst of burstLimit through at once, then throttles with Retry-After', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    const { allowed, last } = allowedCount(limiter, 'c1', plan, 8)
    assert.equal(allowed, 5)
    assert.equal(last.allowed, false)
    assert.ok(!last.allowed && last.kind === 'throttle')
    assert.equal(!last.allowed && last.retryAfterSeconds, 1)
    assert.deepEqual(last.state, { limit: 5, remaining: 0, resetSeconds: 3 })
  })

  it('refills at rateLimit per second, never above burstLimit', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    allowedCount(limiter, 'c1', plan, 5)
    clock.advance(1000)
    assert.equal(allowedCount(limiter, 'c1', plan, 5).allowed, 2, 'two tokens after one second')
    clock.advance(60_000)
    assert.equal(allowedCount(limiter, 'c1', plan, 10).allowed, 5, 'the bucket holds at most burstLimit')
  })

  it('sustains rateLimit over time', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    allowedCount(limiter, 'c1', plan, 5)
    let allowed = 0
    for (let i = 0; i < 100; i++) {
      clock.advance(100) // 10 s in steps of 100 ms, 3 tries each
      allowed += allowedCount(limiter, 'c1', plan, 3).allowed
    }
    assert.equal(allowed, 20)
  })

  it('waits the right time for fractional rates', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    const slow: UsagePlan = { name: 'slow', throttle: { rateLimit: 0.25, burstLimit: 1 } }
    assert.equal(limiter.consumeNow('c', slow).allowed, true)
    const denied = limiter.consumeNow('c', slow)
    assert.ok(!denied.allowed)
    assert.equal(denied.retryAfterSeconds, 4)
    clock.advance(3999)
    assert.equal(limiter.consumeNow('c', slow).allowed, false)
    clock.advance(1)
    assert.equal(limiter.consumeNow('c', slow).allowed, true)
  })

  it('keeps keys and plans apart', () => {
    const limiter = new InProcessUsageLimiter({ clock: () => T0 })
    allowedCount(limiter, 'c1', plan, 5)
    assert.equal(limiter.consumeNow('c1', plan).allowed, false)
    assert.equal(limiter.consumeNow('c2', plan).allowed, true)
    assert.equal(limiter.consumeNow('c1', { ...plan, name: 'other' }).allowed, true)
  })
})

describe('InProcessUsageLimiter quota (fixed calendar window)', () => {
  it('refuses beyond the daily limit until the next UTC day', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    const plan: UsagePlan = { name: 'daily', quota: { limit: 3, period: 'DAY' } }
    const first = limiter.consumeNow('c1', plan)
    assert.deepEqual(first, { allowed: true, state: { limit: 3, remaining: 2, resetSeconds: 12 * 3600 } })
    const { allowed, last } = allowedCount(limiter, 'c1', plan, 5)
    assert.equal(allowed, 2)
    assert.ok(!last.allowed && last.kind === 'quota')
    assert.equal(last.retryAfterSeconds, 12 * 3600)
    clock.advance(12 * 3600 * 1000)
    assert.equal(limiter.consumeNow('c1', plan).allowed, true, 'a new day, a new quota')
  })

  it('uses Sunday-started weeks and calendar months', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    const weekly: UsagePlan = { name: 'w', quota: { limit: 1, period: 'WEEK' } }
    const monthly: UsagePlan = { name: 'm', quota: { limit: 1, period: 'MONTH' } }
    limiter.consumeNow('c', weekly)
    const w = limiter.consumeNow('c', weekly)
    // Thursday 12:00 -> Sunday 00:00 is 2.5 days.
    assert.ok(!w.allowed && w.retryAfterSeconds === 2.5 * 86400)
    limiter.consumeNow('c', monthly)
    const m = limiter.consumeNow('c', monthly)
    // 26 Nov 12:00 -> 1 Dec 00:00 is 4.5 days.
    assert.ok(!m.allowed && m.retryAfterSeconds === 4.5 * 86400)
  })

  it('subtracts the offset in the first window only', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    const plan: UsagePlan = { name: 'o', quota: { limit: 5, period: 'DAY', offset: 3 } }
    assert.equal(allowedCount(limiter, 'c', plan, 10).allowed, 2)
    clock.advance(86_400_000)
    assert.equal(allowedCount(limiter, 'c', plan, 10).allowed, 5)
  })

  it('does not count throttled requests against the quota', () => {
    const clock = fakeClock(T0)
    const limiter = new InProcessUsageLimiter({ clock: clock.now })
    const plan: UsagePlan = {
      name: 'both',
      throttle: { rateLimit: 1, burstLimit: 2 },
      quota: { limit: 4, period: 'DAY' },
    }
    const burst = allowedCount(limiter, 'c', plan, 10)
    assert.equal(burst.allowed, 2)
    assert.ok(!burst.last.allowed && burst.last.kind === 'throttle')
    assert.equal(burst.last.state.remaining, 2, 'the quota reports what is left of it')
    clock.advance(2000)
    assert.equal(allowedCount(limiter, 'c', plan, 10).allowed, 2)
    clock.advance(2000)
    const out = limiter.consumeNow('c', plan)
    assert.ok(!out.allowed && out.kind === 'quota')
  })
})

describe('InProcessUsageLimiter memory', () => {
  it('forgets the least recently used key beyond maxKeys', async () => {
    const limiter = new InProcessUsageLimiter({ clock: () => T0, maxKeys: 2 })
    const plan: UsagePlan = { name: 'q', quota: { limit: 1, period: 'DAY' } }
    await limiter.consume('a', plan)
    await limiter.consume('b', plan)
    assert.equal((await limiter.consume('a', plan)).allowed, false) // a is now the most recent
    await limiter.consume('c', plan) // evicts b
    assert.equal(limiter.size, 2)
    assert.equal((await limiter.consume('a', plan)).allowed, false, 'a was kept')
    assert.equal((await limiter.consume('b', plan)).allowed, true, 'b was forgotten')
  })

  it('allows everything without reporting when the plan has no limits', () => {
    const limiter = new InProcessUsageLimiter({ clock: () => T0 })
    assert.deepEqual(limiter.consumeNow('c', { name: 'free' }), { allowed: true, state: undefined })
  })
})
