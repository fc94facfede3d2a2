import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { bearer, enforcerFor, rejection } from './enforcer-harness.ts'
import { type FakeOrg, fakeClock, ORG_ID, startFakeOrg } from './fake-org.ts'

const clock = fakeClock()
let org: FakeOrg
before(async () => {
  org = await startFakeOrg(clock.now)
})
after(() => org.close())
beforeEach(() => {
  org.mode = 'ok'
  org.resetCounts()
})

function assertUnavailable(err: { status: number; code: string; headers?: unknown }): void {
  assert.equal(err.status, 503)
  assert.equal(err.code, 'GW_IDP_UNAVAILABLE')
  assert.deepEqual(err.headers, { 'Retry-After': '7' })
}

describe('the org cannot answer: fail closed', () => {
  for (const [mode, reason] of [
    ['down', 'sf.introspection_unavailable'],
    ['reset', 'sf.introspection_unavailable'],
    ['garbage', 'sf.introspection_malformed'],
    ['string-active', 'sf.introspection_malformed'],
  ] as const) {
    test(`${mode}: 503 with Retry-After, and nothing is remembered`, async () => {
      const enforcer = enforcerFor(org, clock.now)
      const token = org.issueOpaque()
      org.mode = mode
      const steps: Record<string, unknown>[] = []
      const err = await rejection(enforcer.authenticate(bearer(token), (s) => steps.push(s)))
      assertUnavailable(err)
      assert.equal(err.reason, reason)
      assert.equal(steps.at(-1)?.outcome, 'unavailable')
      org.mode = 'ok'
      const identity = await enforcer.authenticate(bearer(token))
      assert.equal(identity.fromCache, false)
      assert.equal(org.counts.introspect, 2)
    })
  }

  test('an org slower than the deadline is 503 once the deadline passes', async () => {
    const enforcer = enforcerFor(org, clock.now, { timeoutMs: 150 })
    const token = org.issueOpaque()
    org.mode = 'slow'
    const started = performance.now()
    const err = await rejection(enforcer.authenticate(bearer(token)))
    const elapsed = performance.now() - started
    assertUnavailable(err)
    assert.equal(err.reason, 'sf.introspection_unavailable')
    assert.ok(elapsed >= 140 && elapsed < 1_500, `answered after ${elapsed} ms`)
  })

  test('the gateway app refused by the org is 503 (a configuration fault, not a bad token)', async () => {
    const enforcer = enforcerFor(org, clock.now, {
      org: { issuer: org.issuer, orgId: ORG_ID, introspection: { clientId: 'wrong', clientSecret: 'nope' } },
    })
    const err = await rejection(enforcer.authenticate(bearer(org.issueOpaque())))
    assertUnavailable(err)
    assert.equal(err.reason, 'sf.introspection_client_rejected')
  })

  test('a cached identity keeps working while the org is down, until its TTL ends', async () => {
    const enforcer = enforcerFor(org, clock.now, { cache: { ttlSeconds: 60 } })
    const known = org.issueOpaque()
    await enforcer.authenticate(bearer(known))
    org.mode = 'down'
    const fromCache = await enforcer.authenticate(bearer(known))
    assert.equal(fromCache.fromCache, true)
    assertUnavailable(await rejection(enforcer.authenticate(bearer(org.issueOpaque()))))
    clock.advance(60_000)
    assertUnavailable(await rejection(enforcer.authenticate(bearer(known))))
  })

  test('a JWT access token while the key set cannot be fetched is 503 with the configured Retry-After', async () => {
    const enforcer = enforcerFor(org, clock.now)
    const token = await org.jwtAccessToken()
    org.mode = 'down'
    const err = await rejection(enforcer.authenticate(bearer(token)))
    assertUnavailable(err)
    assert.equal(err.reason, 'sf.jwks_unavailable')
    assert.equal(org.counts.introspect, 0)
  })
})
