import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkUsagePlan, compileUsagePlans, quotaWindow } from '../../../src/partners/usage-plans.ts'

describe('usage plans', () => {
  it('accepts a plan with throttle and quota', () => {
    const plan = {
      name: 'gold',
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 1000, period: 'DAY' as const, offset: 10 },
    }
    assert.deepEqual(checkUsagePlan(plan), [])
    assert.equal(compileUsagePlans([plan]).get('gold')?.quota?.limit, 1000)
  })

  it('names each bad field', () => {
    const problems = checkUsagePlan({
      name: 'bad name',
      throttle: { rateLimit: 0, burstLimit: 1.5 },
      quota: { limit: 0, period: 'YEAR' as never, offset: -1 },
    })
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      ['name', 'throttle.rateLimit', 'throttle.burstLimit', 'quota.limit', 'quota.period', 'quota.offset'],
    )
    assert.throws(() => compileUsagePlans([{ name: 'a' }, { name: 'a' }]), /defined twice/)
  })

  it('computes UTC calendar windows', () => {
    const t = Date.UTC(2026, 1, 28, 23, 59) // Saturday 28 Feb 2026
    assert.deepEqual(quotaWindow('DAY', t), { start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 1) })
    assert.deepEqual(quotaWindow('WEEK', t), { start: Date.UTC(2026, 1, 22), end: Date.UTC(2026, 2, 1) })
    assert.deepEqual(quotaWindow('MONTH', t), { start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) })
    assert.deepEqual(quotaWindow('MONTH', Date.UTC(2026, 11, 31)), {
      start: Date.UTC(2026, 11, 1),
      end: Date.UTC(2027, 0, 1),
    })
  })
})
