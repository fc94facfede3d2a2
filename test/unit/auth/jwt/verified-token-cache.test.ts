import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { tokenDigest, VerifiedTokenCache } from '../../../../src/auth/jwt/verified-token-cache.ts'
import { testClock } from './fixtures/idp-server.ts'

describe('VerifiedTokenCache', () => {
  test('concurrent first uses of one token run a single verification', async () => {
    const clock = testClock()
    const cache = new VerifiedTokenCache<string>(clock.now)
    let calls = 0
    const verify = async () => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { value: 'ok', expSeconds: clock.now() / 1000 + 60 }
    }
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrVerify('t', verify)))
    assert.equal(calls, 1)
    assert.ok(results.every((r) => r.value === 'ok' && !r.fromCache))
    assert.deepEqual(await cache.getOrVerify('t', verify), { value: 'ok', fromCache: true })
  })

  test('entries end at exp, or at the TTL cap when that comes first', async () => {
    const clock = testClock()
    const cache = new VerifiedTokenCache<string>(clock.now, { maxTtlMs: 30_000 })
    let calls = 0
    const verifyWithExp = (expInSeconds: number) => async () => {
      calls++
      return { value: 'ok', expSeconds: clock.now() / 1000 + expInSeconds }
    }
    await cache.getOrVerify('short', verifyWithExp(10))
    await cache.getOrVerify('long', verifyWithExp(3_600))
    clock.advance(10_000)
    assert.equal((await cache.getOrVerify('short', verifyWithExp(10))).fromCache, false)
    assert.equal((await cache.getOrVerify('long', verifyWithExp(3_600))).fromCache, true)
    clock.advance(20_000)
    assert.equal((await cache.getOrVerify('long', verifyWithExp(3_600))).fromCache, false)
    assert.equal(calls, 4)
  })

  test('a token already past exp (inside the clock tolerance) is not cached', async () => {
    const clock = testClock()
    const cache = new VerifiedTokenCache<string>(clock.now)
    const verify = async () => ({ value: 'ok', expSeconds: clock.now() / 1000 - 1 })
    await cache.getOrVerify('t', verify)
    assert.equal(cache.size, 0)
  })

  test('failures are not cached', async () => {
    const cache = new VerifiedTokenCache<string>(testClock().now)
    await assert.rejects(
      cache.getOrVerify('t', async () => {
        throw new Error('bad token')
      }),
    )
    assert.equal(cache.size, 0)
  })

  test('the cache is bounded', async () => {
    const clock = testClock()
    const cache = new VerifiedTokenCache<number>(clock.now, { maxEntries: 3 })
    for (let i = 0; i < 10; i++) {
      await cache.getOrVerify(`t${i}`, async () => ({ value: i, expSeconds: clock.now() / 1000 + 60 }))
    }
    assert.equal(cache.size, 3)
  })

  test('keys are SHA-256 digests, never the token', () => {
    const digest = tokenDigest('header.payload.signature')
    assert.match(digest, /^[A-Za-z0-9_-]{43}$/)
    assert.ok(!digest.includes('payload'))
  })
})
