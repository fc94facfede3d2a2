import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import * as client from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { authorizeInteractively, Browser, formAction } from './browser.ts'

const REDIRECT = 'http://127.0.0.1:8765/callback'
const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

describe('authorization code flow with PKCE, driven by openid-client', () => {
  let org: DevOrg
  let config: client.Configuration
  let portal: { clientId: string; clientSecret: string; scopes: string[] }

  before(async () => {
    org = await startDevOrg({ port: 0 })
    const app = org.seed.connectedApps.find((a) => a.name === 'Order Portal')
    assert.ok(app)
    portal = app
    config = await client.discovery(new URL(org.issuer), portal.clientId, portal.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    })
  })
  after(() => org.close())

  async function codeFlow(scope: string) {
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    return client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    })
  }

  it('discovers the org at Salesforce paths, without advertising PKCE methods', () => {
    const meta = config.serverMetadata()
    assert.equal(meta.issuer, org.issuer)
    assert.equal(meta.token_endpoint, `${org.url}/services/oauth2/token`)
    assert.equal(meta.authorization_endpoint, `${org.url}/services/oauth2/authorize`)
    assert.equal(meta.jwks_uri, `${org.url}/id/keys`)
    assert.equal(meta.introspection_endpoint, `${org.url}/services/oauth2/introspect`)
    assert.equal(meta.registration_endpoint, `${org.url}/services/oauth2/register`)
    assert.equal(meta.code_challenge_methods_supported, undefined)
  })

  it('completes login, approval and the code exchange with Salesforce token fields', async () => {
    const tokens = await codeFlow('openid profile email api refresh_token')
    assert.match(tokens.access_token, /^00D[A-Za-z0-9]{12}!AQ/)
    assert.equal(tokens.access_token.slice(0, 15), org.orgId.slice(0, 15))
    assert.equal(tokens.token_type.toLowerCase(), 'bearer')
    assert.equal(tokens.expires_in, undefined)
    assert.match(String(tokens.issued_at), /^\d{13}$/)
    assert.equal(tokens.instance_url, org.url)
    assert.match(String(tokens.id), new RegExp(`^${org.url}/id/${org.orgId}/005[A-Za-z0-9]{15}$`))
    assert.equal(typeof tokens.signature, 'string')
    assert.match(String(tokens.refresh_token), /^5Aep861/)
    assert.deepEqual(
      new Set(tokens.scope?.split(' ')),
      new Set(['openid', 'profile', 'email', 'api', 'refresh_token']),
    )
    const claims = tokens.claims()
    assert.ok(claims)
    assert.equal(claims.sub, tokens.id)
    assert.equal(claims.aud, portal.clientId)
    assert.equal(claims.iss, org.issuer)
    assert.equal(claims.preferred_username, USER.username)
    assert.equal(claims.email, USER.username)

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
    assert.equal(info.sub, tokens.id)
    assert.equal(info.preferred_username, USER.username)
  })

  it('signs ID tokens with a key from /id/keys', async () => {
    const tokens = await codeFlow('openid api')
    const jwks = createRemoteJWKSet(new URL(`${org.url}/id/keys`))
    const { payload, protectedHeader } = await jwtVerify(String(tokens.id_token), jwks, {
      issuer: org.issuer,
      audience: portal.clientId,
    })
    assert.equal(protectedHeader.alg, 'RS256')
    assert.match(String(protectedHeader.kid), /^\d+$/)
    assert.equal(payload.exp! - payload.iat!, 3600)
    assert.equal(tokens.refresh_token, undefined, 'no refresh_token scope, no refresh token')
  })

  it('refreshes with a new access token only (no rotation)', async () => {
    const first = await codeFlow('openid api refresh_token')
    const refreshed = await client.refreshTokenGrant(config, String(first.refresh_token))
    assert.notEqual(refreshed.access_token, first.access_token)
    assert.match(refreshed.access_token, /^00D/)
    assert.equal(refreshed.refresh_token, undefined)
    assert.equal(refreshed.expires_in, undefined)
    assert.match(String(refreshed.issued_at), /^\d{13}$/)
  })

  it('grants all of the app’s scopes when the request names none', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    const tokens = await client.authorizationCodeGrant(config, callback, { idTokenExpected: true })
    assert.deepEqual(new Set(tokens.scope?.split(' ')), new Set(portal.scopes))
  })

  it('issues JWT access tokens in the code flow and on refresh for apps that enable them', async () => {
    const jwtApp = org.seed.connectedApps.find((a) => a.jwtAccessTokens)!
    const jwtConfig = await client.discovery(
      new URL(org.issuer),
      jwtApp.clientId,
      jwtApp.clientSecret,
      undefined,
      {
        execute: [client.allowInsecureRequests],
      },
    )
    const verifier = client.randomPKCECodeVerifier()
    const url = client.buildAuthorizationUrl(jwtConfig, {
      redirect_uri: REDIRECT,
      scope: 'openid api refresh_token',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    const tokens = await client.authorizationCodeGrant(jwtConfig, callback, { pkceCodeVerifier: verifier })
    const jwks = createRemoteJWKSet(new URL(`${org.url}/id/keys`))
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: org.issuer })
    assert.match(String(protectedHeader.kid), /^CORE_ATJWT\./)
    assert.equal(`uid:${String(tokens.id).split('/').pop()}`, payload.sub)
    const refreshed = await client.refreshTokenGrant(jwtConfig, String(tokens.refresh_token))
    assert.equal(decodeProtectedHeader(refreshed.access_token).kid, protectedHeader.kid)
    const info = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    })
    assert.equal(info.status, 200)
  })

  it('logs out through the end-session endpoint and returns to the app', async () => {
    const browser = new Browser()
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid api' })
    const callback = await authorizeInteractively(browser, url.href, USER)
    const tokens = await client.authorizationCodeGrant(config, callback)
    // Logged in: a second authorization goes straight back to the app.
    const again = await browser.follow(await browser.get(url.href), org.url)
    assert.match(String(again.location), /^http:\/\/127\.0\.0\.1:8765\/callback\?code=/)

    const logoutUrl = client.buildEndSessionUrl(config, {
      id_token_hint: String(tokens.id_token),
      post_logout_redirect_uri: 'http://127.0.0.1:8765/',
      state: 'bye',
    })
    assert.equal(logoutUrl.pathname, '/services/auth/idp/oidc/logout')
    const confirm = await browser.get(logoutUrl.href)
    assert.equal(confirm.status, 200)
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1]
    assert.ok(xsrf)
    let done = await browser.post(formAction(confirm), { xsrf, logout: 'yes' })
    done = await browser.follow(done, org.url)
    assert.equal(done.location, 'http://127.0.0.1:8765/?state=bye')
    const login = await browser.follow(await browser.get(url.href), org.url)
    assert.match(login.body, /name="password"/)
  })

  it('redirects with access_denied when the user clicks Deny', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'api', state: 's1' })
    const callback = await authorizeInteractively(new Browser(), url.href, USER, 'deny')
    assert.equal(callback.origin + callback.pathname, REDIRECT)
    assert.equal(callback.searchParams.get('error'), 'access_denied')
    assert.equal(callback.searchParams.get('state'), 's1')
  })

  it('rejects a wrong code verifier with invalid_grant', async () => {
    const verifier = client.randomPKCECodeVerifier()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'api',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: String(callback.searchParams.get('code')),
        redirect_uri: REDIRECT,
        client_id: portal.clientId,
        client_secret: portal.clientSecret,
        code_verifier: client.randomPKCECodeVerifier(),
      }),
    })
    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'invalid code verifier' })
  })

  it('shows the login page again, escaped, after a wrong password', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'api',
      login_hint: '<b>x</b>',
    })
    const browser = new Browser()
    const page = await browser.follow(await browser.get(url.href), org.url)
    assert.equal(page.status, 200)
    assert.ok(page.body.includes('value="&lt;b&gt;x&lt;/b&gt;"'))
    assert.ok(!page.body.includes('<b>x</b>'))
    const action = /action="([^"]+)"/.exec(page.body)?.[1]
    const again = await browser.post(new URL(String(action), org.url).href, {
      username: USER.username,
      password: 'wrong',
    })
    assert.equal(again.status, 200)
    assert.match(again.body, /check your username and password/)
  })
})
