import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { IdentityCache } from '../../../../src/auth/salesforce/identity-cache.ts'
import type { ResolvedIdentity } from '../../../../src/auth/salesforce/types.ts'

function fakeClock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

const identity = (expiresAt: number | undefined): ResolvedIdentity => ({
  userId: '0055g00000AbCdEAAZ',
  orgId: '00D5g000004FgAtEAK',
  clientId: 'app',
  scopes: ['api'],
  tokenKind: 'opaque',
  expiresAt,
})

const options = { ttlMs: 300_000, negativeTtlMs: 10_000, maxEntries: 3 }

describe('IdentityCache', () => {
  test('keys are SHA-256 digests, never the token', () => {
    const key = IdentityCache.keyOf('00D5g000004FgAt!AQsecret')
    assert.match(key, /^[A-Za-z0-9_-]{43}$/)
    assert.ok(!key.includes('secret'))
    assert.notEqual(key, IdentityCache.keyOf('00D5g000004FgAt!AQsecreT'))
  })

  test('a positive entry lives for the TTL when the token expires later', () => {
    const clock = fakeClock()
    const cache = new IdentityCache(clock.now, options)
    cache.remember('k', identity(clock.now() + 3_600_000))
    clock.advance(299_999)
    assert.ok(cache.identity('k'))
    clock.advance(1)
    assert.equal(cache.identity('k'), undefined)
  })

  test('a positive entry ends at expiry when that comes first', () => {
    const clock = fakeClock()
    const cache = new IdentityCache(clock.now, options)
    cache.remember('k', identity(clock.now() + 20_000))
    clock.advance(19_999)
    assert.ok(cache.identity('k'))
    clock.advance(1)
    assert.equal(cache.identity('k'), undefined)
  })

  test('an identity that is already expired, or a TTL of 0, is not stored', () => {
    const clock = fakeClock()
    const cache = new IdentityCache(clock.now, options)
    cache.remember('k', identity(clock.now()))
    assert.equal(cache.identity('k'), undefined)
    const off = new IdentityCache(clock.now, { ...options, ttlMs: 0 })
    off.remember('k', identity(undefined))
    assert.equal(off.identity('k'), undefined)
  })

  test('rejections live for the negative TTL, apart from identities', () => {
    const clock = fakeClock()
    const cache = new IdentityCache(clock.now, options)
    cache.rememberRejection('bad', 'sf.inactive')
    assert.equal(cache.rejection('bad'), 'sf.inactive')
    assert.equal(cache.identity('bad'), undefined)
    clock.advance(10_000)
    assert.equal(cache.rejection('bad'), undefined)
  })

  test('a flood of rejections cannot evict good identities', () => {
    const clock = fakeClock()
    const cache = new IdentityCache(clock.now, options)
    cache.remember('good', identity(undefined))
    for (let i = 0; i < 100; i++) cache.rememberRejection(`garbage-${i}`, 'sf.inactive')
    assert.ok(cache.identity('good'))
    assert.equal(cache.rejection('garbage-0'), undefined)
    assert.equal(cache.rejection('garbage-99'), 'sf.inactive')
  })

  test('concurrent lookups of one key share the first one; the next lookup starts afresh', async () => {
    const cache = new IdentityCache(fakeClock().now, options)
    let calls = 0
    let release: (value: ResolvedIdentity) => void = () => undefined
    const work = () => {
      calls++
      return new Promise<ResolvedIdentity>((resolve) => {
        release = resolve
      })
    }
    const first = cache.lookup('k', work)
    const second = cache.lookup('k', work)
    assert.deepEqual([first.joined, second.joined], [false, true])
    release(identity(undefined))
    assert.equal(await first.result, await second.result)
    assert.equal(calls, 1)
    const third = cache.lookup('k', async () => identity(undefined))
    assert.equal(third.joined, false)
    await third.result
  })
})
