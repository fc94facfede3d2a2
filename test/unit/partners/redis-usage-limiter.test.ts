import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isGatewayError } from '../../../src/errors/gateway-error.ts'
import { openRedisUsageClient, type RedisUsageClient } from '../../../src/partners/redis-usage-client.ts'
import { RedisUsageLimiter, type StoreErrorEvent } from '../../../src/partners/redis-usage-limiter.ts'
import { type QuotaPeriod, quotaWindow, type UsagePlan } from '../../../src/partners/usage-plans.ts'
import { WINDOW_LUA } from '../../../src/partners/usage-script.ts'
import { RedisServer } from '../../helpers/redis-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'

const TIMEOUT_MS = 200

serviceSuite('usage plans counted in a real Redis', ['redis'], { timeout: 60_000 }, () => {
  let redis: RedisServer
  const clients: RedisUsageClient[] = []
  const client = () => {
    const c = openRedisUsageClient({ url: redis.url, commandTimeoutMs: TIMEOUT_MS })
    clients.push(c)
    return c
  }
  let planCount = 0
  /** A fresh plan name per test, so no test sees another's counters. */
  const plan = (fields: Omit<UsagePlan, 'name'>): UsagePlan => ({ name: `plan-${++planCount}`, ...fields })
  /** Waits until the client's connection is up: a first call that reaches Redis. */
  const connected = async (c: RedisUsageClient) => {
    const deadline = Date.now() + 5000
    for (;;) {
      try {
        await c.eval('return 1', { keys: [], arguments: [] })
        return
      } catch (error) {
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
  }

  before(async () => {
    redis = await RedisServer.start()
  })
  after(async () => {
    for (const c of clients) await c.close()
    await redis?.close()
  })

  test('the script finds the same UTC calendar windows as the in-process limiter', async () => {
    const c = client()
    await connected(c)
    const script = `${WINDOW_LUA}\nlocal s, e = window(ARGV[1], tonumber(ARGV[2]))\nreturn {s, e}`
    const instants = [
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), // leap day
      Date.UTC(2024, 11, 31, 12), // December → January
      Date.UTC(2025, 0, 1),
      Date.UTC(2025, 1, 28, 5),
      Date.UTC(2026, 11, 6), // a Sunday
      Date.UTC(2026, 11, 5, 23, 59), // the Saturday before
      Date.UTC(2100, 1, 28), // not a leap year
      Date.UTC(2000, 1, 29),
    ]
    for (let i = 0; i < 40; i++) instants.push(Date.UTC(2020, 0, 1) + i * 9_876_543_210)
    for (const period of ['DAY', 'WEEK', 'MONTH'] as QuotaPeriod[]) {
      for (const at of instants) {
        const reply = (await c.eval(script, { keys: [], arguments: [period, String(at)] })) as number[]
        const expected = quotaWindow(period, at)
        assert.deepEqual(
          reply.map(Number),
          [expected.start, expected.end],
          `${period} at ${new Date(at).toISOString()}`,
        )
      }
    }
  })

  test('three limiters with their own connections admit exactly the quota between them', async () => {
    const limiters = [0, 1, 2].map(
      () => new RedisUsageLimiter({ client: client(), onStoreError: 'closed', instances: 3 }),
    )
    await Promise.all(clients.map(connected))
    const p = plan({ quota: { limit: 50, period: 'DAY' } })
    const outcomes = await Promise.all(
      Array.from({ length: 150 }, (_, i) => limiters[i % 3]!.consume('partner-a', p)),
    )
    assert.equal(outcomes.filter((o) => o.allowed).length, 50)
    const refused = outcomes.filter((o) => !o.allowed)
    assert.ok(refused.every((o) => !o.allowed && o.kind === 'quota' && o.state.remaining === 0))
    // Another partner on the same plan has its own quota.
    assert.equal((await limiters[0]!.consume('partner-b', p)).allowed, true)
  })

  test('a burst across three limiters admits no more than the bucket plus its refill', async () => {
    const limiters = [0, 1, 2].map(
      () => new RedisUsageLimiter({ client: client(), onStoreError: 'closed', instances: 3 }),
    )
    await Promise.all(clients.map(connected))
    const p = plan({ throttle: { rateLimit: 2, burstLimit: 10 } })
    const started = performance.now()
    const outcomes = await Promise.all(
      Array.from({ length: 90 }, (_, i) => limiters[i % 3]!.consume('partner-a', p)),
    )
    const elapsedSeconds = (performance.now() - started) / 1000
    const admitted = outcomes.filter((o) => o.allowed).length
    assert.ok(admitted >= 10, `admitted ${admitted}`)
    assert.ok(admitted <= 10 + Math.ceil(2 * elapsedSeconds), `admitted ${admitted} in ${elapsedSeconds}s`)
    const throttled = outcomes.find((o) => !o.allowed)
    assert.ok(throttled !== undefined && !throttled.allowed && throttled.kind === 'throttle')
    assert.ok(throttled.retryAfterSeconds >= 1)
  })

  test('a refused request consumes nothing: throttled calls leave the quota untouched', async () => {
    const limiter = new RedisUsageLimiter({ client: client(), onStoreError: 'closed', instances: 1 })
    await connected(clients.at(-1)!)
    const p = plan({ throttle: { rateLimit: 0.001, burstLimit: 2 }, quota: { limit: 5, period: 'MONTH' } })
    assert.equal((await limiter.consume('k', p)).allowed, true)
    const second = await limiter.consume('k', p)
    assert.ok(second.allowed)
    assert.deepEqual(
      { limit: second.state?.limit, remaining: second.state?.remaining },
      { limit: 5, remaining: 3 },
    )
    for (let i = 0; i < 5; i++) {
      const o = await limiter.consume('k', p)
      assert.ok(!o.allowed && o.kind === 'throttle')
      assert.equal(o.state.remaining, 3)
    }
  })

  test('the quota offset applies in the first window only', async () => {
    const limiter = new RedisUsageLimiter({ client: client(), onStoreError: 'closed', instances: 1 })
    await connected(clients.at(-1)!)
    const p = plan({ quota: { limit: 4, period: 'WEEK', offset: 3 } })
    const first = await limiter.consume('k', p)
    assert.ok(first.allowed)
    assert.deepEqual(first.state, {
      limit: 1,
      remaining: 0,
      resetSeconds: first.state!.resetSeconds,
    })
    assert.ok(!(await limiter.consume('k', p)).allowed)
  })

  test('closed: Redis stopped, refusing, frozen and restarted', async () => {
    const events: StoreErrorEvent[] = []
    const c = client()
    const limiter = new RedisUsageLimiter({
      client: c,
      onStoreError: 'closed',
      instances: 3,
      retryAfterSeconds: 2,
      onStateChange: (e) => events.push(e),
    })
    await connected(c)
    const p = plan({ quota: { limit: 1000, period: 'DAY' } })
    assert.equal((await limiter.consume('k', p)).allowed, true)

    const refusedWithin = async (label: string) => {
      const started = performance.now()
      await assert.rejects(limiter.consume('k', p), (error) => {
        assert.ok(isGatewayError(error), label)
        assert.equal(error.code, 'GW_USAGE_STORE_UNAVAILABLE')
        assert.equal(error.status, 503)
        assert.deepEqual(error.headers, { 'Retry-After': '2' })
        return true
      })
      const took = performance.now() - started
      assert.ok(took < TIMEOUT_MS + 150, `${label}: answered after ${took} ms`)
    }

    await redis.stop() // SIGTERM: the open connection closes
    await refusedWithin('stopped')
    await refusedWithin('refusing connections (port closed, reconnecting)')
    await redis.restart()
    await connected(c)
    assert.equal((await limiter.consume('k', p)).allowed, true)

    redis.freeze() // SIGSTOP: the connection is open but nothing answers
    await refusedWithin('frozen')
    await refusedWithin('frozen, second request')
    redis.thaw()
    await connected(c)
    const back = await limiter.consume('k', p)
    assert.equal(back.allowed, true)
    assert.deepEqual(
      events.map((e) => e.state),
      ['failing', 'recovered', 'failing', 'recovered'],
    )
    assert.ok(limiter.stats.refusedUnavailable >= 4)
  })

  test('local: without Redis each instance admits its 1/N share of the bucket, and says so', async () => {
    const events: StoreErrorEvent[] = []
    const c = client()
    const limiter = new RedisUsageLimiter({
      client: c,
      onStoreError: 'local',
      instances: 3,
      onStateChange: (e) => events.push(e),
    })
    await connected(c)
    const p = plan({ throttle: { rateLimit: 0.001, burstLimit: 9 } })
    await redis.stop()
    const outcomes = []
    for (let i = 0; i < 6; i++) outcomes.push(await limiter.consume('k', p))
    assert.equal(outcomes.filter((o) => o.allowed).length, 3)
    assert.equal(limiter.stats.localDecisions, 6)
    assert.equal(events[0]?.state, 'failing')
    assert.equal(events[0]?.mode, 'local')
    await redis.restart()
    await connected(c)
    // Redis's bucket is fresh after the restart (no persistence): the full burst again.
    assert.equal((await limiter.consume('k', p)).allowed, true)
    assert.equal(events.at(-1)?.state, 'recovered')
  })
})
