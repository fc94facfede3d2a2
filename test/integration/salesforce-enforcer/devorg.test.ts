import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { createSalesforceEnforcer } from '../../../src/auth/salesforce/salesforce-enforcer.ts'
import type { SalesforceEnforcer } from '../../../src/auth/salesforce/types.ts'
import { rejection } from './enforcer-harness.ts'

let org: DevOrg
let enforcer: SalesforceEnforcer
before(async () => {
  org = await startDevOrg({ port: 0 })
  const gateway = app('forcegate Gateway')
  enforcer = createSalesforceEnforcer({
    id: 'devorg',
    org: {
      issuer: org.issuer,
      orgId: org.orgId,
      introspection: { clientId: gateway.clientId, clientSecret: gateway.clientSecret },
    },
    accept: ['jwt', 'opaque'],
    requiredScopes: ['api'],
    scopeMode: 'all',
  })
})
after(() => org.close())

function app(name: string) {
  const found = org.seed.connectedApps.find((a) => a.name === name)
  assert.ok(found, `seed has no app ${name}`)
  return found
}

async function clientCredentialsToken(name: string): Promise<string> {
  const { clientId, clientSecret } = app(name)
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  })
  assert.equal(res.status, 200)
  return ((await res.json()) as { access_token: string }).access_token
}

describe('against the dev org', () => {
  test("an opaque token of the gateway app is introspected once; the run-as user's identity comes back", async () => {
    const token = await clientCredentialsToken('forcegate Gateway')
    assert.ok(token.startsWith(org.orgId.slice(0, 15)))
    const before = org.counters.introspection
    const identity = await enforcer.authenticate([`Bearer ${token}`])
    assert.equal(identity.tokenKind, 'opaque')
    assert.equal(identity.orgId.slice(0, 15), org.orgId.slice(0, 15))
    assert.match(identity.userId, /^005/)
    assert.equal(identity.username, 'integration@forcegate.example.com')
    assert.equal(identity.clientId, app('forcegate Gateway').clientId)
    assert.ok(identity.scopes.includes('api'))
    assert.equal((await enforcer.authenticate([`Bearer ${token}`])).fromCache, true)
    assert.equal(org.counters.introspection - before, 1)
  })

  test('a JWT access token of the JWT app is verified with the org keys and never introspected', async () => {
    const token = await clientCredentialsToken('Order Status JWT')
    const before = org.counters.introspection
    const identity = await enforcer.authenticate([`Bearer ${token}`])
    assert.equal(identity.tokenKind, 'jwt')
    assert.equal(identity.clientId, app('Order Status JWT').clientId)
    assert.equal(identity.orgId.slice(0, 15), org.orgId.slice(0, 15))
    assert.equal(org.counters.introspection, before)
  })

  test('a revoked opaque token is 401 once its cache entry is gone', async () => {
    const token = await clientCredentialsToken('forcegate Gateway')
    const res = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token }),
    })
    assert.equal(res.status, 200)
    const err = await rejection(enforcer.authenticate([`Bearer ${token}`]))
    assert.equal(err.status, 401)
    assert.equal(err.reason, 'sf.inactive')
  })
})
