import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { bearer, enforcerFor, rejection } from './enforcer-harness.ts'
import { type FakeOrg, fakeClock, ORG_ID, OTHER_ORG_ID, startFakeOrg, USER_ID } from './fake-org.ts'

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

describe('session IDs (UserInfo)', () => {
  test('a route accepting only session IDs checks them at UserInfo; the identity has no client and no scopes', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['session'] })
    const token = org.issueOpaque()
    const identity = await enforcer.authenticate(bearer(token))
    assert.deepEqual(identity, {
      userId: USER_ID,
      orgId: ORG_ID,
      username: 'ada@partner.example.com',
      clientId: undefined,
      scopes: [],
      tokenKind: 'session',
      expiresAt: undefined,
      fromCache: false,
    })
    assert.equal(org.counts.introspect, 0)
    assert.equal(org.counts.userinfo, 1)
    assert.equal((await enforcer.authenticate(bearer(token))).fromCache, true)
    assert.equal(org.counts.userinfo, 1)
  })

  test("UserInfo's 403 Bad_OAuth_Token is 401, remembered for the negative TTL", async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['session'] })
    const token = `${ORG_ID.slice(0, 15)}!AQexpiredSession`
    const err = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(err.status, 401)
    assert.equal(err.reason, 'sf.userinfo_rejected')
    await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(org.counts.userinfo, 1)
  })

  test('with opaque tokens and session IDs accepted, a token introspection cannot see falls back to UserInfo', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['opaque', 'session'] })
    const identity = await enforcer.authenticate(bearer(org.issueOpaque({ introspectable: false })))
    assert.equal(identity.tokenKind, 'session')
    assert.deepEqual([org.counts.introspect, org.counts.userinfo], [1, 1])
    const unknown = await rejection(enforcer.authenticate(bearer(`${ORG_ID.slice(0, 15)}!AQnobody`)))
    assert.equal(unknown.reason, 'sf.userinfo_rejected')
    assert.deepEqual([org.counts.introspect, org.counts.userinfo], [2, 2])
  })

  test('a session ID on a route that requires scopes is 403: UserInfo cannot vouch for any', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['session'], requiredScopes: ['api'] })
    assert.equal((await rejection(enforcer.authenticate(bearer(org.issueOpaque())))).status, 403)
  })

  test('a UserInfo answer for another org than the token prefix is 401', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['session'] })
    const token = org.issueOpaque({ orgId: OTHER_ORG_ID, prefixOrg: ORG_ID })
    assert.equal((await rejection(enforcer.authenticate(bearer(token)))).reason, 'sf.org_mismatch')
  })

  test('UserInfo down is 503, never an allow', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['session'] })
    const token = org.issueOpaque()
    org.mode = 'down'
    const err = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(err.status, 503)
    assert.equal(err.reason, 'sf.userinfo_unavailable')
    assert.deepEqual(err.headers, { 'Retry-After': '7' })
  })

  test('a route accepting JWTs only refuses session IDs with no call', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['jwt'] })
    const err = await rejection(enforcer.authenticate(bearer(org.issueOpaque())))
    assert.equal(err.reason, 'sf.kind_not_accepted')
    assert.deepEqual([org.counts.introspect, org.counts.userinfo], [0, 0])
  })
})
