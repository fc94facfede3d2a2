import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeJwt } from 'jose'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { type TestClock, testClock } from '../../helpers/test-clock.ts'
import { authorizeInteractively, Browser } from './browser.ts'
import { app, introspect, passwordToken, postForm } from './org-client.ts'

const ADMIN = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
// Registered for the Order Portal in the seed; nothing listens there, the code is read off the redirect.
const REDIRECT = 'http://127.0.0.1:8765/callback'
const START = Date.UTC(2031, 2, 4, 9, 0, 0)
const SESSION_SECONDS = 7200

describe("the dev org's clock", () => {
  let org: DevOrg
  let clock: TestClock
  before(async () => {
    clock = testClock(START)
    org = await startDevOrg({ port: 0, clock: clock.now })
  })
  after(() => org.close())

  const seconds = () => Math.floor(clock.now() / 1000)
  const userinfo = (token: string) =>
    fetch(`${org.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } })

  async function codeFlow(): Promise<string> {
    const portal = app(org, 'Order Portal')
    const url = new URL(`${org.url}/services/oauth2/authorize`)
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: portal.clientId,
      redirect_uri: REDIRECT,
      scope: 'api refresh_token',
      state: 'clock',
    }).toString()
    const callback = await authorizeInteractively(new Browser(), url.href, ADMIN)
    const code = callback.searchParams.get('code')
    assert.ok(code, callback.href)
    return code
  }

  const redeem = (code: string) => {
    const portal = app(org, 'Order Portal')
    return postForm(org, '/services/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: portal.clientId,
      client_secret: portal.clientSecret,
    })
  }

  it('stamps opaque and JWT access tokens with its own time', async () => {
    const opaque = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const seen = (await introspect(org, 'forcegate Gateway', opaque.access_token)).json()
    assert.equal(seen.active, true)
    assert.ok(Math.abs((seen.iat as number) - seconds()) <= 1, `iat ${seen.iat} is the org's time`)
    assert.equal((seen.exp as number) - (seen.iat as number), SESSION_SECONDS)

    const jwt = await passwordToken(org, 'Order Status JWT', ADMIN.username, ADMIN.password)
    const claims = decodeJwt(jwt.access_token)
    assert.ok(Math.abs((claims.iat as number) - seconds()) <= 1, `iat ${claims.iat} is the org's time`)
    assert.equal((claims.exp as number) - (claims.iat as number), SESSION_SECONDS)
  })

  it('ends access tokens at the session timeout: introspection, userinfo and the REST API agree', async () => {
    const opaque = (await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)).access_token
    const jwt = (await passwordToken(org, 'Order Status JWT', ADMIN.username, ADMIN.password)).access_token
    clock.advance((SESSION_SECONDS - 2) * 1000)
    for (const token of [opaque, jwt]) {
      assert.equal((await introspect(org, 'forcegate Gateway', token)).json().active, true)
      assert.equal((await userinfo(token)).status, 200)
    }
    clock.advance(3_000)
    for (const token of [opaque, jwt]) {
      assert.deepEqual((await introspect(org, 'forcegate Gateway', token)).json(), { active: false })
      assert.equal((await userinfo(token)).status, 403)
      const rest = await fetch(`${org.url}/services/data/v62.0/sobjects/Account`, {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(rest.status, 401)
    }
  })

  it('refresh tokens outlive access tokens; the new access token is stamped at the moved time', async () => {
    const tokens = (await redeem(await codeFlow())).json()
    const refresh = tokens.refresh_token as string
    assert.ok(refresh)
    clock.advance((SESSION_SECONDS + 60) * 1000)
    assert.deepEqual((await introspect(org, 'forcegate Gateway', tokens.access_token as string)).json(), {
      active: false,
    })
    const portal = app(org, 'Order Portal')
    const renewed = await postForm(org, '/services/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: portal.clientId,
      client_secret: portal.clientSecret,
    })
    assert.equal(renewed.status, 200, renewed.text)
    const seen = (await introspect(org, 'forcegate Gateway', renewed.json().access_token as string)).json()
    assert.equal(seen.active, true)
    assert.ok(Math.abs((seen.iat as number) - seconds()) <= 1)
  })

  it('authorization codes expire after 15 minutes of org time', async () => {
    const code = await codeFlow()
    clock.advance(901_000)
    const late = await redeem(code)
    assert.equal(late.status, 400, late.text)
    assert.equal(late.json().error, 'invalid_grant')
  })
})
