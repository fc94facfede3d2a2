import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AuthorizerOutput } from '../../../../src/auth/lambda-authorizer/output.ts'
import { AuthorizerResultCache, resultCacheKey } from '../../../../src/auth/lambda-authorizer/result-cache.ts'

const output: AuthorizerOutput = { kind: 'simple', isAuthorized: true, context: {} }

function fakeClock(start = 1_000_000) {
  let now = start
  return { clock: () => now, advance: (ms: number) => (now += ms) }
}

test('keys are sha256 hex, change with any part, and keep value boundaries apart', () => {
  const key = resultCacheKey('auth', 'prod', ['Bearer secret'])
  assert.match(key, /^[0-9a-f]{64}$/)
  assert.ok(!key.includes('secret'))
  assert.equal(key, resultCacheKey('auth', 'prod', ['Bearer secret']))
  assert.notEqual(key, resultCacheKey('auth2', 'prod', ['Bearer secret']))
  assert.notEqual(key, resultCacheKey('auth', 'dev', ['Bearer secret']))
  assert.notEqual(resultCacheKey('a', 's', ['x,y', 'z']), resultCacheKey('a', 's', ['x', 'y,z']))
})

test('a stored result is served until its TTL ends, then loaded again', async () => {
  const { clock, advance } = fakeClock()
  const cache = new AuthorizerResultCache(10, clock)
  let loads = 0
  const load = async () => {
    loads++
    return { output, latencyMs: 5 }
  }
  assert.equal((await cache.getOrLoad('k', 300_000, load)).source, 'invoke')
  advance(299_999)
  const hit = await cache.getOrLoad('k', 300_000, load)
  assert.equal(hit.source, 'cache')
  assert.equal(hit.output, output)
  advance(1)
  assert.equal((await cache.getOrLoad('k', 300_000, load)).source, 'invoke')
  assert.equal(loads, 2)
})

test('N concurrent callers with the same key share one load', async () => {
  const cache = new AuthorizerResultCache(10, fakeClock().clock)
  let loads = 0
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const load = async () => {
    loads++
    await gate
    return { output, latencyMs: 1 }
  }
  const pending = Array.from({ length: 25 }, () => cache.getOrLoad('k', 1000, load))
  release()
  const results = await Promise.all(pending)
  assert.equal(loads, 1)
  assert.equal(results.filter((r) => r.source === 'invoke').length, 1)
  assert.equal(results.filter((r) => r.source === 'joined').length, 24)
})

test('a failed load is shared by its waiters but never stored', async () => {
  const cache = new AuthorizerResultCache(10, fakeClock().clock)
  let loads = 0
  const failing = async () => {
    loads++
    throw new Error('Unauthorized')
  }
  const results = await Promise.allSettled([
    cache.getOrLoad('k', 1000, failing),
    cache.getOrLoad('k', 1000, failing),
  ])
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  )
  assert.equal(loads, 1)
  assert.equal(cache.size, 0)
  await assert.rejects(cache.getOrLoad('k', 1000, failing))
  assert.equal(loads, 2)
})

test('the cache is bounded', async () => {
  const cache = new AuthorizerResultCache(3, fakeClock().clock)
  for (let i = 0; i < 10; i++) await cache.getOrLoad(`k${i}`, 1000, async () => ({ output, latencyMs: 0 }))
  assert.equal(cache.size, 3)
})
