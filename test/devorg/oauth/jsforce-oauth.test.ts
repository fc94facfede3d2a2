// jsforce, a Salesforce client written by nobody here, against the authorization server.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import jsforce from 'jsforce'
import * as client from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { authorizeInteractively, Browser } from './browser.ts'
import { app, introspect } from './org-client.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8765/callback'

describe('jsforce against the dev org', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org.close())

  const oauth2 = () => {
    const portal = app(org, 'Order Portal')
    return new jsforce.OAuth2({
      loginUrl: org.url,
      clientId: portal.clientId,
      clientSecret: portal.clientSecret,
      redirectUri: REDIRECT,
    })
  }

  it('logs in with the username-password flow, reads its identity and queries', async () => {
    const conn = new jsforce.Connection({ oauth2: oauth2(), version: '62.0' })
    const info = await conn.login(USER.username, USER.password)
    assert.equal(info.organizationId, org.orgId)
    assert.match(info.id, /^005/)
    assert.equal(conn.instanceUrl, org.url)
    const identity = await conn.identity()
    assert.equal(identity.username, USER.username)
    assert.equal(identity.organization_id, org.orgId)
    const result = await conn.query<{ Name: string }>('SELECT Id, Name FROM Account')
    assert.equal(result.totalSize, 3)
  })

  it('exchanges a code, refreshes after the access token is revoked, and revokes the refresh token', async () => {
    const oauth = oauth2()
    const state = 'jsf'
    const callback = await authorizeInteractively(
      new Browser(),
      oauth.getAuthorizationUrl({ scope: 'api refresh_token', state }),
      USER,
    )
    assert.equal(callback.searchParams.get('state'), state)
    const conn = new jsforce.Connection({ oauth2: oauth, version: '62.0' })
    await conn.authorize(String(callback.searchParams.get('code')))
    assert.ok(conn.refreshToken)
    const first = conn.accessToken!
    await oauth.revokeToken(first)
    // jsforce sees 401 INVALID_SESSION_ID and refreshes on its own.
    const result = await conn.query('SELECT Id FROM Account')
    assert.equal(result.totalSize, 3)
    assert.notEqual(conn.accessToken, first)
    await oauth.revokeToken(conn.refreshToken!)
    assert.deepEqual((await introspect(org, 'forcegate Gateway', conn.accessToken!)).json(), {
      active: false,
    })
  })

  it('openid-client and jsforce agree on the identity URL', async () => {
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
    const conn = new jsforce.Connection({ oauth2: oauth2(), version: '62.0' })
    const info = await conn.login(USER.username, USER.password)
    const userinfo = await client.fetchUserInfo(config, conn.accessToken!, client.skipSubjectCheck)
    assert.equal(userinfo.sub, `${org.url}/id/${info.organizationId}/${info.id}`)
  })
})
