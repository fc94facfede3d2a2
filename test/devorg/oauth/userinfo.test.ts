import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { clientCredentialsToken, passwordToken } from './org-client.ts'

const ADMIN = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

describe('userinfo and identity URL', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org.close())

  it('answers a bad or missing token with 403 plain-text Bad_OAuth_Token', async () => {
    for (const headers of [
      { authorization: 'Bearer 00D000000000000!AQnope' },
      {} as Record<string, string>,
    ]) {
      const res = await fetch(`${org.url}/services/oauth2/userinfo`, { headers })
      assert.equal(res.status, 403)
      assert.match(String(res.headers.get('content-type')), /^text\/plain/)
      assert.equal(await res.text(), 'Bad_OAuth_Token')
    }
    const id = await fetch(`${org.url}/id/${org.orgId}/005000000000000AAA`, {
      headers: { authorization: 'Bearer junk' },
    })
    assert.equal(id.status, 403)
    assert.equal(await id.text(), 'Bad_OAuth_Token')
  })

  it('returns the Salesforce userinfo document for a live token (opaque and JWT, Bearer and OAuth schemes)', async () => {
    const t = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const jwt = await clientCredentialsToken(org, 'Order Status JWT')
    for (const authorization of [`Bearer ${t.access_token}`, `OAuth ${t.access_token}`]) {
      const res = await fetch(`${org.url}/services/oauth2/userinfo`, { headers: { authorization } })
      assert.equal(res.status, 200)
      const body = (await res.json()) as Record<string, unknown>
      assert.equal(body.sub, t.id)
      assert.equal(body.organization_id, org.orgId)
      assert.equal(body.preferred_username, ADMIN.username)
      assert.equal((body.urls as Record<string, string>).rest, `${org.url}/services/data/v{version}/`)
    }
    const viaJwt = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${jwt.access_token}` },
    })
    assert.equal(viaJwt.status, 200)
    assert.equal(((await viaJwt.json()) as { sub: string }).sub, jwt.id)
  })

  it('serves the identity URL from the token response, with version substitution and oauth_token', async () => {
    const t = await passwordToken(org, 'Order Portal', ADMIN.username, ADMIN.password)
    const res = await fetch(`${t.id}?version=62.0&oauth_token=${encodeURIComponent(t.access_token)}`)
    assert.equal(res.status, 200)
    const body = (await res.json()) as Record<string, unknown>
    assert.equal(body.id, t.id)
    assert.equal(body.username, ADMIN.username)
    assert.equal(body.asserted_user, true)
    assert.equal((body.urls as Record<string, string>).rest, `${org.url}/services/data/v62.0/`)
    assert.equal((body.urls as Record<string, string>).custom_domain, org.url)
  })

  it('counts userinfo calls for tests that need to see caching', async () => {
    const before = org.counters.userinfo
    await fetch(`${org.url}/services/oauth2/userinfo`)
    assert.equal(org.counters.userinfo, before + 1)
  })
})
