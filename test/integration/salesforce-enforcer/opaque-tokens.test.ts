import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { bearer, enforcerFor, recorder, rejection } from './enforcer-harness.ts'
import {
  type FakeOrg,
  fakeClock,
  GATEWAY_CLIENT,
  ORG_ID,
  OTHER_ORG_ID,
  PARTNER_CLIENT_ID,
  startFakeOrg,
  USER_ID,
} from './fake-org.ts'

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

const nowSeconds = () => Math.floor(clock.now() / 1000)

describe('opaque access tokens (introspection)', () => {
  test('an active token yields the identity introspection names, with client authentication in the body', async () => {
    const token = org.issueOpaque({ scope: 'api orders.read', exp: nowSeconds() + 3600 })
    const identity = await enforcerFor(org, clock.now).authenticate(bearer(token))
    assert.deepEqual(identity, {
      userId: USER_ID,
      orgId: ORG_ID,
      username: 'ada@partner.example.com',
      clientId: PARTNER_CLIENT_ID,
      scopes: ['api', 'orders.read'],
      tokenKind: 'opaque',
      expiresAt: (nowSeconds() + 3600) * 1000,
      fromCache: false,
    })
    assert.equal(org.counts.introspect, 1)
    const sent = org.lastIntrospection
    assert.equal(sent?.get('token'), token)
    assert.equal(sent?.get('token_type_hint'), 'access_token')
    assert.equal(sent?.get('client_id'), GATEWAY_CLIENT.clientId)
    assert.equal(sent?.get('client_secret'), GATEWAY_CLIENT.clientSecret)
    assert.equal(org.lastIntrospectionAuthorization, undefined)
  })

  test('the OAuth scheme Salesforce clients send works like Bearer, and the second use comes from the cache', async () => {
    const enforcer = enforcerFor(org, clock.now)
    const token = org.issueOpaque()
    assert.equal((await enforcer.authenticate([`OAuth ${token}`])).fromCache, false)
    assert.equal((await enforcer.authenticate([`bearer ${token}`])).fromCache, true)
    assert.equal(org.counts.introspect, 1)
  })

  test('a token whose prefix names another org is 401 before any call to the org', async () => {
    const token = org.issueOpaque({ prefixOrg: OTHER_ORG_ID, orgId: OTHER_ORG_ID })
    const { steps, explain } = recorder()
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(token), explain))
    assert.equal(err.status, 401)
    assert.equal(err.code, 'GW_TOKEN_INVALID')
    assert.equal(err.reason, 'sf.org_mismatch')
    assert.deepEqual(err.headers, { 'WWW-Authenticate': 'Bearer realm="forcegate", error="invalid_token"' })
    assert.equal(org.counts.introspect, 0)
    assert.deepEqual(
      steps.find((s) => s.step === 'org_prefix'),
      { step: 'org_prefix', expected: ORG_ID.slice(0, 15), found: OTHER_ORG_ID.slice(0, 15), match: false },
    )
  })

  test('an introspection answer for another org than the token prefix claims is 401', async () => {
    const token = org.issueOpaque({ orgId: OTHER_ORG_ID, prefixOrg: ORG_ID })
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))
    assert.equal(err.reason, 'sf.org_mismatch')
    assert.equal(org.counts.introspect, 1)
  })

  test('inactive is 401 and is remembered for the negative TTL only', async () => {
    const enforcer = enforcerFor(org, clock.now)
    const token = `${ORG_ID.slice(0, 15)}!AQunknownTokenValue`
    const first = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(first.status, 401)
    assert.equal(first.reason, 'sf.inactive')
    const again = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(again.reason, 'sf.inactive')
    assert.equal(org.counts.introspect, 1)
    clock.advance(10_000)
    await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(org.counts.introspect, 2)
  })

  test('a revoked token keeps working until the positive TTL ends, then is 401', async () => {
    const enforcer = enforcerFor(org, clock.now, { cache: { ttlSeconds: 60, negativeTtlSeconds: 10 } })
    const token = org.issueOpaque()
    await enforcer.authenticate(bearer(token))
    org.revoke(token)
    clock.advance(59_000)
    assert.equal((await enforcer.authenticate(bearer(token))).fromCache, true)
    assert.equal(org.counts.introspect, 1)
    clock.advance(1_000)
    const err = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(err.reason, 'sf.inactive')
    assert.equal(org.counts.introspect, 2)
  })

  test("a cache entry never outlives the token's exp", async () => {
    const enforcer = enforcerFor(org, clock.now, { cache: { ttlSeconds: 300 } })
    const token = org.issueOpaque({ exp: nowSeconds() + 30 })
    await enforcer.authenticate(bearer(token))
    clock.advance(29_000)
    assert.equal((await enforcer.authenticate(bearer(token))).fromCache, true)
    clock.advance(1_000)
    const err = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(err.status, 401)
    assert.equal(org.counts.introspect, 2)
  })

  test('20 concurrent requests with one new token cost one introspection', async () => {
    const enforcer = enforcerFor(org, clock.now)
    const token = org.issueOpaque()
    const trails = Array.from({ length: 20 }, () => recorder())
    const identities = await Promise.all(trails.map((t) => enforcer.authenticate(bearer(token), t.explain)))
    assert.equal(org.counts.introspect, 1)
    assert.ok(identities.every((i) => i.userId === USER_ID))
    const cacheSteps = trails.map((t) => t.steps.find((s) => s.step === 'cache')?.result)
    assert.equal(cacheSteps.filter((r) => r === 'miss').length, 1)
    assert.equal(cacheSteps.filter((r) => r === 'joined').length, 19)
  })

  test('20 concurrent requests with one inactive token also cost one introspection', async () => {
    const enforcer = enforcerFor(org, clock.now)
    const token = `${ORG_ID.slice(0, 15)}!AQneverIssued`
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => enforcer.authenticate(bearer(token))),
    )
    assert.ok(results.every((r) => r.status === 'rejected'))
    assert.equal(org.counts.introspect, 1)
  })

  test('a token the gateway app may not introspect is 401 when session IDs are not accepted', async () => {
    const token = org.issueOpaque({ introspectable: false })
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))
    assert.equal(err.reason, 'sf.inactive')
    assert.equal(org.counts.userinfo, 0)
  })

  test('a refresh token presented as an access token is 401', async () => {
    const token = org.issueOpaque({ tokenType: 'refresh_token' })
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))
    assert.equal(err.reason, 'sf.token_type')
  })

  test('neither the token nor its full hash reaches the trail or the error', async () => {
    const token = org.issueOpaque({ scope: 'api' })
    const { steps, explain } = recorder()
    const enforcer = enforcerFor(org, clock.now, { requiredScopes: ['orders.write'] })
    const err = await rejection(enforcer.authenticate(bearer(token), explain))
    const text = JSON.stringify({
      steps,
      err,
      message: err.message,
      detail: err.detail,
      headers: err.headers,
    })
    assert.ok(!text.includes(token))
    assert.ok(!text.includes(token.slice(16)))
    assert.deepEqual(
      steps.map((s) => s.step),
      ['credential', 'token_kind', 'org_prefix', 'cache', 'org_call', 'introspection', 'scopes', 'decision'],
    )
    assert.match(String(steps[0]?.sha256), /^[0-9a-f]{16}$/)
  })
})

describe('scopes', () => {
  const token = () => org.issueOpaque({ scope: 'api orders.read' })

  test("'all' needs every required scope: a missing one is 403 insufficient_scope naming the route's scopes", async () => {
    const enforcer = enforcerFor(org, clock.now, {
      requiredScopes: ['orders.read', 'orders.write'],
      scopeMode: 'all',
    })
    const err = await rejection(enforcer.authenticate(bearer(token())))
    assert.equal(err.status, 403)
    assert.equal(err.code, 'GW_INSUFFICIENT_SCOPE')
    assert.deepEqual(err.headers, {
      'WWW-Authenticate':
        'Bearer realm="forcegate", error="insufficient_scope", scope="orders.read orders.write"',
    })
  })

  test("'any' needs one of them", async () => {
    const enforcer = enforcerFor(org, clock.now, {
      requiredScopes: ['orders.read', 'orders.write'],
      scopeMode: 'any',
    })
    assert.deepEqual((await enforcer.authenticate(bearer(token()))).scopes, ['api', 'orders.read'])
    const none = enforcerFor(org, clock.now, {
      requiredScopes: ['billing.read', 'orders.write'],
      scopeMode: 'any',
    })
    assert.equal((await rejection(none.authenticate(bearer(token())))).status, 403)
  })

  test("one cached identity is re-checked against each route's scopes, without another call", async () => {
    const base = enforcerFor(org, clock.now)
    const reader = base.forRoute({ requiredScopes: ['orders.read'], scopeMode: 'all' })
    const writer = base.forRoute({ requiredScopes: ['orders.write'], scopeMode: 'all' })
    const t = token()
    assert.equal((await reader.authenticate(bearer(t))).fromCache, false)
    const err = await rejection(writer.authenticate(bearer(t)))
    assert.equal(err.status, 403)
    assert.equal((await reader.authenticate(bearer(t))).fromCache, true)
    assert.equal(org.counts.introspect, 1)
  })

  test("'full' stands for Salesforce's own scopes, never for a custom one", async () => {
    const full = org.issueOpaque({ scope: 'full' })
    const api = enforcerFor(org, clock.now, { requiredScopes: ['api'] })
    assert.deepEqual((await api.authenticate(bearer(full))).scopes, ['full'])
    const custom = api.forRoute({ requiredScopes: ['orders.read'], scopeMode: 'all' })
    assert.equal((await rejection(custom.authenticate(bearer(full)))).status, 403)
  })
})
