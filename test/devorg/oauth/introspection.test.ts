import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as client from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { mayIntrospect } from '../../../devorg/oauth/introspection.ts'
import { loadSeed } from '../../../devorg/seed/load-seed.ts'
import { testClock } from '../../helpers/test-clock.ts'
import { authorizeInteractively, Browser } from './browser.ts'
import { app, clientCredentialsToken, introspect, passwordToken, postForm } from './org-client.ts'

const ADMIN = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

describe('introspection and revocation', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org.close())

  async function portalTokens() {
    const portal = app(org, 'Order Portal')
    const config = await client.discovery(
      new URL(org.issuer),
      portal.clientId,
      portal.clientSecret,
      undefined,
      {
        execute: [client.allowInsecureRequests],
      },
    )
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:8765/callback',
      scope: 'api refresh_token',
    })
    const callback = await authorizeInteractively(new Browser(), url.href, ADMIN)
    return client.authorizationCodeGrant(config, callback, { idTokenExpected: false })
  }

  it('the introspect-all app sees any token: active response shape', async () => {
    const t = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const res = await introspect(org, 'forcegate Gateway', t.access_token)
    assert.equal(res.status, 200)
    const body = res.json()
    assert.deepEqual(Object.keys(body).sort(), [
      'active',
      'client_id',
      'exp',
      'iat',
      'nbf',
      'scope',
      'sub',
      'token_type',
      'username',
    ])
    assert.equal(body.active, true)
    assert.equal(body.client_id, app(org, 'Order Portal').clientId)
    assert.equal(body.username, ADMIN.username)
    assert.equal(body.sub, t.id)
    assert.equal(body.token_type, 'access_token')
    assert.equal(body.scope, t.scope)
    assert.equal((body.exp as number) - (body.iat as number), 7200)
  })

  it('an app sees its own tokens but not another app’s: {"active":false}', async () => {
    const portalToken = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const own = await introspect(org, 'Order Portal', portalToken.access_token)
    assert.equal(own.json().active, true)
    const other = await introspect(org, 'Order Status JWT', portalToken.access_token)
    assert.deepEqual(other.json(), { active: false })
  })

  it('unknown tokens are inactive; bad client credentials are 401 invalid_client', async () => {
    const unknown = await introspect(org, 'forcegate Gateway', `${org.orgId.slice(0, 15)}!AQnotatoken`)
    assert.equal(unknown.status, 200)
    assert.equal(unknown.text, '{"active":false}')
    const bad = await postForm(org, '/services/oauth2/introspect', {
      token: 'x',
      client_id: 'nobody',
      client_secret: 'x',
    })
    assert.equal(bad.status, 401)
    assert.equal(bad.json().error, 'invalid_client')
  })

  it('introspects JWT access tokens and refresh tokens', async () => {
    const jwt = await clientCredentialsToken(org, 'Order Status JWT')
    const body = (await introspect(org, 'forcegate Gateway', jwt.access_token)).json()
    assert.equal(body.active, true)
    assert.equal(body.client_id, app(org, 'Order Status JWT').clientId)
    const tokens = await portalTokens()
    const rt = (
      await introspect(org, 'forcegate Gateway', String(tokens.refresh_token), 'refresh_token')
    ).json()
    assert.equal(rt.active, true)
    assert.equal(rt.token_type, 'refresh_token')
  })

  it('revoking an access token ends that token only', async () => {
    const a = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const b = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const res = await postForm(org, '/services/oauth2/revoke', { token: a.access_token })
    assert.equal(res.status, 200)
    assert.equal(res.text, '')
    assert.deepEqual((await introspect(org, 'forcegate Gateway', a.access_token)).json(), { active: false })
    assert.equal((await introspect(org, 'forcegate Gateway', b.access_token)).json().active, true)
  })

  it('revoking a refresh token revokes the access tokens minted from it', async () => {
    const tokens = await portalTokens()
    const rt = String(tokens.refresh_token)
    const refreshed = await postForm(org, '/services/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: rt,
      client_id: app(org, 'Order Portal').clientId,
      client_secret: app(org, 'Order Portal').clientSecret,
    })
    const second = String(refreshed.json().access_token)
    const revoke = await fetch(`${org.url}/services/oauth2/revoke?token=${encodeURIComponent(rt)}`)
    assert.equal(revoke.status, 200)
    for (const t of [tokens.access_token, second, rt]) {
      assert.deepEqual((await introspect(org, 'forcegate Gateway', t)).json(), { active: false })
    }
    const again = await postForm(org, '/services/oauth2/revoke', { token: rt })
    assert.deepEqual(again.json(), { error: 'invalid_token', error_description: 'invalid token' })
    assert.equal(again.status, 400)
  })

  it('revokes JWT access tokens too', async () => {
    const jwt = await clientCredentialsToken(org, 'Order Status JWT')
    assert.equal((await postForm(org, '/services/oauth2/revoke', { token: jwt.access_token })).status, 200)
    assert.deepEqual((await introspect(org, 'forcegate Gateway', jwt.access_token)).json(), { active: false })
  })

  it('visibility rule: self, registrar, or introspect-all', () => {
    const base = {
      callerId: 'a',
      callerIntrospectsAll: false,
      tokenClientId: 'b',
      tokenClientRegistrar: undefined,
    }
    assert.equal(mayIntrospect(base), false)
    assert.equal(mayIntrospect({ ...base, tokenClientId: 'a' }), true)
    assert.equal(mayIntrospect({ ...base, tokenClientRegistrar: 'a' }), true)
    assert.equal(mayIntrospect({ ...base, callerIntrospectsAll: true }), true)
  })
})

describe('session timeout', () => {
  it('access tokens stop working after the org’s session timeout', async () => {
    const seed = loadSeed(undefined)
    seed.org.sessionTimeoutSeconds = 60
    const clock = testClock()
    const org = await startDevOrg({ port: 0, seed, clock: clock.now })
    try {
      const t = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
      const live = (await introspect(org, 'forcegate Gateway', t.access_token)).json()
      assert.equal((live.exp as number) - (live.iat as number), 60)
      clock.advance(61_000)
      assert.deepEqual((await introspect(org, 'forcegate Gateway', t.access_token)).json(), { active: false })
      const info = await fetch(`${org.url}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${t.access_token}` },
      })
      assert.equal(info.status, 403)
    } finally {
      await org.close()
    }
  })
})
