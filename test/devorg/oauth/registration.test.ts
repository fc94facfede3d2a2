import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as client from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { loadSeed } from '../../../devorg/seed/load-seed.ts'
import { authorizeInteractively, Browser } from './browser.ts'
import { app, introspect, passwordToken } from './org-client.ts'

const METADATA = {
  client_name: 'Partner Portal',
  redirect_uris: ['http://127.0.0.1:9999/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  contacts: ['ops@example.com'],
}

describe('dynamic client registration (RFC 7591 / 7592)', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org.close())

  const register = (authorization: string | undefined, body: unknown = METADATA) =>
    fetch(`${org.url}/services/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    })

  it('401 without or with a wrong initial access token', async () => {
    assert.equal((await register(undefined)).status, 401)
    const wrong = await register('Bearer not-the-initial-access-token')
    assert.equal(wrong.status, 401)
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_token')
  })

  it('201 with Salesforce registration fields; the client then runs the code flow', async () => {
    const res = await register(`Bearer ${org.seed.initialAccessToken}`)
    assert.equal(res.status, 201)
    const body = (await res.json()) as Record<string, unknown>
    assert.match(String(body.client_id), /^3MVG9[A-Za-z0-9]{80}$/)
    assert.equal(typeof body.client_secret, 'string')
    assert.equal(typeof body.registration_access_token, 'string')
    assert.equal(body.registration_client_uri, `${org.url}/services/oauth2/register/${body.client_id}`)
    assert.equal(typeof body.client_id_issued_at, 'number')
    assert.equal(body.client_secret_expires_at, 0)
    assert.equal(body.token_endpoint_auth_method, 'client_secret_post')
    assert.ok(Array.isArray(body.scopes) && body.scopes.includes('api'))
    assert.deepEqual(body.redirect_uris, METADATA.redirect_uris)

    const config = await client.discovery(
      new URL(org.issuer),
      String(body.client_id),
      String(body.client_secret),
      undefined,
      {
        execute: [client.allowInsecureRequests],
      },
    )
    const verifier = client.randomPKCECodeVerifier()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: METADATA.redirect_uris[0]!,
      scope: 'openid api refresh_token',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const callback = await authorizeInteractively(new Browser(), url.href, {
      username: 'admin@partner.example.com',
      password: 'Partner-Admin-1',
    })
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier })
    assert.match(tokens.access_token, /^00D/)
    assert.match(String(tokens.refresh_token), /^5Aep861/)
    // The registering (gateway) app may introspect tokens of the apps it registered.
    const seen = (await introspect(org, 'forcegate Gateway', tokens.access_token)).json()
    assert.equal(seen.active, true)
    assert.equal(seen.client_id, body.client_id)
  })

  it('reads and deletes a registration with its registration access token', async () => {
    const created = (await (await register(`Bearer ${org.seed.initialAccessToken}`)).json()) as Record<
      string,
      string
    >
    const auth = { authorization: `Bearer ${created.registration_access_token}` }
    const read = await fetch(created.registration_client_uri!, { headers: auth })
    assert.equal(read.status, 200)
    assert.equal(((await read.json()) as { client_id: string }).client_id, created.client_id)
    const del = await fetch(created.registration_client_uri!, { method: 'DELETE', headers: auth })
    assert.equal(del.status, 204)
    const token = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: created.client_id!,
        client_secret: created.client_secret!,
      }),
    })
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_client_id')
  })

  it('rejects bad metadata with 400 invalid_redirect_uri', async () => {
    const res = await register(`Bearer ${org.seed.initialAccessToken}`, {
      ...METADATA,
      redirect_uris: ['not a url'],
    })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_redirect_uri')
  })
})

describe('the registrar may introspect the tokens of the clients it registered', () => {
  it('holds for the app named as initialAccessTokenApp, and for no other app', async () => {
    const seed = loadSeed(undefined)
    const portal = seed.connectedApps.find((a) => a.name === 'Order Portal')!
    seed.initialAccessTokenApp = portal.clientId
    const org = await startDevOrg({ port: 0, seed })
    try {
      const res = await fetch(`${org.url}/services/oauth2/register`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${org.seed.initialAccessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ...METADATA, grant_types: ['authorization_code', 'password'] }),
      })
      assert.equal(res.status, 201)
      const registered = (await res.json()) as { client_id: string; client_secret: string }
      // A registered client's own token, minted by the code flow, seen from each app's side.
      const config = await client.discovery(
        new URL(org.issuer),
        registered.client_id,
        registered.client_secret,
        undefined,
        {
          execute: [client.allowInsecureRequests],
        },
      )
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: METADATA.redirect_uris[0]!,
        scope: 'api',
      })
      const callback = await authorizeInteractively(new Browser(), url.href, {
        username: 'admin@partner.example.com',
        password: 'Partner-Admin-1',
      })
      const tokens = await client.authorizationCodeGrant(config, callback, { idTokenExpected: false })
      assert.equal((await introspect(org, 'Order Portal', tokens.access_token)).json().active, true)
      assert.deepEqual((await introspect(org, 'Order Status JWT', tokens.access_token)).json(), {
        active: false,
      })
      assert.equal((await introspect(org, 'forcegate Gateway', tokens.access_token)).json().active, true)
      const other = await passwordToken(
        org,
        'Order Status JWT',
        'admin@partner.example.com',
        'Partner-Admin-1',
      )
      assert.deepEqual((await introspect(org, 'Order Portal', other.access_token)).json(), { active: false })
      assert.ok(app(org, 'Order Portal'))
    } finally {
      await org.close()
    }
  })
})
