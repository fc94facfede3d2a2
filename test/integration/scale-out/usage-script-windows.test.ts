import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sha256 } from '../../../src/lib/digest.ts'
import { openRedisUsageClient, type RedisUsageClient } from '../../../src/partners/redis-usage-client.ts'
import { RedisUsageLimiter } from '../../../src/partners/redis-usage-limiter.ts'
import { quotaWindow, type UsagePlan } from '../../../src/partners/usage-plans.ts'
import { RedisServer } from '../../helpers/redis-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'

const PREFIX = 'windows'

/**
 * The quota key over its windows: its expiry is set when a window begins and kept while calls
 * are counted in it, and a key left from an earlier window starts counting again from one.
 */
serviceSuite('the usage script across quota windows', ['redis'], { timeout: 60_000 }, () => {
  let redis: RedisServer
  let client: RedisUsageClient
  let limiter: RedisUsageLimiter

  before(async () => {
    redis = await RedisServer.start()
    client = openRedisUsageClient({ url: redis.url, commandTimeoutMs: 1000 })
    limiter = new RedisUsageLimiter({ client, onStoreError: 'closed', instances: 1, prefix: PREFIX })
    const deadline = Date.now() + 5000
    for (;;) {
      try {
        await client.ping()
        break
      } catch (error) {
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  })
  after(async () => {
    await client?.close()
    await redis?.close()
  })

  const quotaKey = (plan: UsagePlan, key: string) =>
    `${PREFIX}:{${sha256(`${plan.name}\u0000${key}`, 'base64url')}}:quota`

  test('the expiry is set when a window begins and stays while it counts', async () => {
    const plan: UsagePlan = { name: 'daily', quota: { limit: 10, period: 'DAY' } }
    const key = quotaKey(plan, 'partner-a')
    assert.ok((await limiter.consume('partner-a', plan)).allowed)
    const window = quotaWindow('DAY', Date.now())
    const expireAt = Number((await redis.command(`PEXPIRETIME ${key}`)).slice(1))
    assert.equal(expireAt, window.end + (window.end - window.start))
    for (let i = 0; i < 3; i++) assert.ok((await limiter.consume('partner-a', plan)).allowed)
    assert.equal(Number((await redis.command(`PEXPIRETIME ${key}`)).slice(1)), expireAt)
    assert.equal(await redis.command(`HGET ${key} u`), '$1\r\n4')
  })

  test('a key left from an earlier window counts from one again, with the new expiry', async () => {
    const plan: UsagePlan = { name: 'weekly', quota: { limit: 3, period: 'WEEK' } }
    const key = quotaKey(plan, 'partner-b')
    const window = quotaWindow('WEEK', Date.now())
    const earlier = window.start - 7 * 86_400_000
    // The previous week spent the whole quota; its key has no expiry, as if it were never set.
    await redis.command(`HSET ${key} w ${earlier} u 3 f ${earlier}`)
    const outcome = await limiter.consume('partner-b', plan)
    assert.ok(outcome.allowed)
    assert.equal(outcome.state?.remaining, 2)
    assert.equal(
      Number((await redis.command(`PEXPIRETIME ${key}`)).slice(1)),
      window.end + (window.end - window.start),
    )
    assert.equal(await redis.command(`HGET ${key} w`), `$${String(window.start).length}\r\n${window.start}`)
  })
})
