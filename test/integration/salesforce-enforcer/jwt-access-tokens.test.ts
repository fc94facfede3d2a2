import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { bearer, enforcerFor, recorder, rejection } from './enforcer-harness.ts'
import {
  type FakeOrg,
  fakeClock,
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

describe('JWT-based access tokens', () => {
  test('are verified locally against /id/keys, with no introspection call', async () => {
    const token = await org.jwtAccessToken()
    const { steps, explain } = recorder()
    const identity = await enforcerFor(org, clock.now).authenticate(bearer(token), explain)
    assert.deepEqual(identity, {
      userId: USER_ID,
      orgId: ORG_ID,
      clientId: PARTNER_CLIENT_ID,
      scopes: ['api', 'refresh_token', 'orders.read'],
      tokenKind: 'jwt',
      expiresAt: (nowSeconds() + 900) * 1000,
      fromCache: false,
    })
    assert.equal(org.counts.introspect, 0)
    assert.equal(org.counts.jwks, 1)
    assert.deepEqual(
      steps.find((s) => s.step === 'jwt'),
      { step: 'jwt', verified: true, introspection: false },
    )
  })

  test('are cached until exp and no longer', async () => {
    const enforcer = enforcerFor(org, clock.now)
    const token = await org.jwtAccessToken({ exp: nowSeconds() + 60 })
    await enforcer.authenticate(bearer(token))
    clock.advance(59_000)
    assert.equal((await enforcer.authenticate(bearer(token))).fromCache, true)
    clock.advance(1_000 + 5_000)
    const err = await rejection(enforcer.authenticate(bearer(token)))
    assert.equal(err.reason, 'jwt.exp')
    assert.deepEqual(err.headers, { 'WWW-Authenticate': 'Bearer realm="forcegate", error="invalid_token"' })
  })

  test('an ID token presented as an access token is 401 without fetching keys', async () => {
    const enforcer = enforcerFor(org, clock.now)
    for (const token of [await org.idToken(), await org.idToken({ aud: [org.issuer] })]) {
      const err = await rejection(enforcer.authenticate(bearer(token)))
      assert.equal(err.status, 401)
      assert.equal(err.reason, 'sf.jwt.tty')
    }
    assert.equal(org.counts.jwks, 0)
    assert.equal(org.counts.introspect, 0)
  })

  test('an issuer other than the org is 401 without fetching keys', async () => {
    const token = await org.jwtAccessToken({ iss: 'https://evil.example' })
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))
    assert.equal(err.reason, 'jwt.iss')
    assert.equal(org.counts.jwks, 0)
  })

  test('an audience other than the org is 401', async () => {
    const token = await org.jwtAccessToken({ aud: ['https://other.my.salesforce.com'] })
    assert.equal((await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))).reason, 'jwt.aud')
  })

  test('the org comes from tnk (or the kid); a token of another org is 401 even when the issuer signed it', async () => {
    const token = await org.jwtAccessToken({}, { tnk: `core/dev/${OTHER_ORG_ID}` })
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))
    assert.equal(err.reason, 'sf.jwt.org')
    const withoutTnk = await org.jwtAccessToken({}, { tnk: undefined })
    assert.equal(
      (await enforcerFor(org, clock.now).authenticate(bearer(withoutTnk))).orgId,
      ORG_ID.slice(0, 15),
    )
    const otherOrgConfigured = enforcerFor(org, clock.now, {
      org: { issuer: org.issuer, orgId: OTHER_ORG_ID, introspection: { clientId: 'c', clientSecret: 's' } },
    })
    const second = await rejection(otherOrgConfigured.authenticate(bearer(await org.jwtAccessToken())))
    assert.equal(second.reason, 'sf.org_mismatch')
  })

  test('a subject that is not uid:005… is 401', async () => {
    const token = await org.jwtAccessToken({ sub: `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}` })
    assert.equal(
      (await rejection(enforcerFor(org, clock.now).authenticate(bearer(token)))).reason,
      'sf.jwt.sub',
    )
  })

  test('a changed payload fails the signature', async () => {
    const token = await org.jwtAccessToken()
    const [h, , s] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ sub: `uid:${USER_ID}`, iss: org.issuer })).toString(
      'base64url',
    )
    const err = await rejection(enforcerFor(org, clock.now).authenticate(bearer(`${h}.${forged}.${s}`)))
    assert.equal(err.status, 401)
  })

  test("scopes come from scp and meet the route's requirement", async () => {
    const enforcer = enforcerFor(org, clock.now, { requiredScopes: ['orders.write'] })
    const err = await rejection(enforcer.authenticate(bearer(await org.jwtAccessToken())))
    assert.equal(err.status, 403)
    const writer = await org.jwtAccessToken({ scp: ['api', 'orders.write'] })
    assert.deepEqual((await enforcer.authenticate(bearer(writer))).scopes, ['api', 'orders.write'])
  })

  test('when the route does not accept JWTs they are 401 with no call at all', async () => {
    const enforcer = enforcerFor(org, clock.now, { accept: ['opaque'] })
    const err = await rejection(enforcer.authenticate(bearer(await org.jwtAccessToken())))
    assert.equal(err.reason, 'sf.kind_not_accepted')
    assert.equal(org.counts.jwks + org.counts.introspect, 0)
  })
})
