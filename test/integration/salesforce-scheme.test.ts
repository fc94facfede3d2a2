import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { explainRequest } from '../../src/pipeline/explain.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../helpers/devorg-gateway-config.ts'
import { type EchoUpstream, startEchoUpstream } from '../helpers/echo-upstream.ts'
import { lambdaOp } from '../helpers/temp-api.ts'
import { testClock } from '../helpers/test-clock.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

async function passwordToken(org: DevOrg, appName: string): Promise<string> {
  const app = org.seed.connectedApps.find((a) => a.name === appName)!
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      ...USER,
    }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { access_token: string }).access_token
}

const scheme = (extra: Record<string, unknown> = {}) => ({
  type: 'oauth2',
  flows: {
    authorizationCode: {
      authorizationUrl: 'http://127.0.0.1/x',
      tokenUrl: 'http://127.0.0.1/y',
      scopes: { api: 'API access' },
    },
  },
  'x-forcegate-salesforce': { org: 'devorg', contract: 'none', cacheTtlSeconds: 1, ...extra },
})

describe('x-forcegate-salesforce against the dev org over real HTTP', () => {
  let org: DevOrg
  let upstream: EchoUpstream
  let gw: TestGateway
  const clock = testClock()
  before(async () => {
    org = await startDevOrg({ port: 0 })
    upstream = await startEchoUpstream()
    gw = await startTestGateway(
      openapi(
        {
          '/orders': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['api'] }] } },
          '/web-only': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['web'] }] } },
          '/proxied': {
            get: {
              security: [{ salesforce: ['api'] }],
              'x-amazon-apigateway-integration': {
                type: 'http_proxy',
                httpMethod: 'GET',
                uri: `${upstream.url}/seen`,
              },
            },
          },
        },
        { components: { securitySchemes: { salesforce: scheme() } } },
      ),
      {
        'whoami.mjs': WHOAMI_HANDLER,
      },
      [...devorgSalesforceYaml(org, 'TEST_SF_INTROSPECTION_SECRET'), ''].join('\n'),
      { clock: clock.now },
    )
  })
  after(async () => {
    await gw?.close()
    await upstream?.close()
    await org?.close()
  })

  const call = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, {
      headers: token === undefined ? headers : { authorization: `Bearer ${token}`, ...headers },
    })

  test('no credential: 401 with a bare Bearer challenge', async () => {
    const res = await call('/orders')
    assert.equal(res.status, 401)
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="forcegate"$/)
  })

  test('an opaque token is introspected and the identity reaches the Lambda handler', async () => {
    const token = await passwordToken(org, 'Order Portal')
    const res = await call('/orders', token)
    assert.equal(res.status, 200)
    const authorizer = (await res.json()) as Record<string, string>
    assert.match(authorizer.principalId!, /^005/)
    assert.equal(authorizer.username, USER.username)
    assert.equal(authorizer.tokenKind, 'opaque')
    assert.ok(authorizer.clientId)
  })

  test('a token of another org is refused without calling the org', async () => {
    const before = org.counters.introspection
    const res = await call('/orders', '00DZZ0000000001!AQ4AQFakeTokenValue')
    assert.equal(res.status, 401)
    assert.equal(org.counters.introspection, before)
  })

  test('explain shows the Salesforce steps and never the token', async () => {
    const token = await passwordToken(org, 'Order Portal')
    const allowed = await explainRequest(
      gw.gateway.table,
      { method: 'GET', target: '/orders', headers: [['Authorization', `Bearer ${token}`]] },
      Date.now,
    )
    assert.equal(allowed.status, 200)
    const steps = allowed.steps.map((s) => s.step)
    assert.ok(steps.includes('introspection') || steps.includes('cache'), steps.join(','))
    assert.equal(JSON.stringify(allowed).includes(token), false)
    const foreign = await explainRequest(
      gw.gateway.table,
      { method: 'GET', target: '/orders', headers: [['Authorization', 'Bearer 00DZZ0000000001!AQ4AQFake']] },
      Date.now,
    )
    assert.equal(foreign.status, 401)
    assert.match(foreign.outcome, /sf\.org_mismatch/)
  })

  test('a JWT access token is verified locally: no introspection', async () => {
    const token = await passwordToken(org, 'Order Status JWT')
    const before = org.counters.introspection
    const res = await call('/orders', token)
    assert.equal(res.status, 200, await res.clone().text())
    assert.equal(((await res.json()) as Record<string, string>).tokenKind, 'jwt')
    assert.equal(org.counters.introspection, before)
  })

  test('a missing scope is 403 insufficient_scope', async () => {
    const token = await passwordToken(org, 'Order Portal')
    const res = await call('/web-only', token)
    assert.equal(res.status, 403)
    assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/)
  })

  test('a burst with one new token costs one introspection', async () => {
    const token = await passwordToken(org, 'Order Portal')
    const before = org.counters.introspection
    const results = await Promise.all(Array.from({ length: 20 }, () => call('/orders', token)))
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set([200]))
    assert.equal(org.counters.introspection - before, 1)
  })

  test('identity headers reach an HTTP upstream; client copies are stripped', async () => {
    const token = await passwordToken(org, 'Order Portal')
    const res = await call('/proxied', token, {
      'x-forcegate-user-id': '005SPOOFED',
      'X-Forcegate-Scopes': 'full',
    })
    assert.equal(res.status, 200)
    const seen = (await res.json()) as { headers: Record<string, string> }
    assert.match(seen.headers['x-forcegate-user-id'] ?? '', /^005/)
    assert.notEqual(seen.headers['x-forcegate-user-id'], '005SPOOFED')
    assert.notEqual(seen.headers['x-forcegate-scopes'], 'full')
    assert.equal(seen.headers['x-forcegate-username'], USER.username)
    assert.equal(seen.headers.authorization, `Bearer ${token}`)
  })

  test('a revoked token is refused once its cached decision expires', async () => {
    const token = await passwordToken(org, 'Order Portal')
    assert.equal((await call('/orders', token)).status, 200)
    const revoked = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    })
    assert.equal(revoked.status, 200)
    // Still the cached decision until its second is up on the gateway's clock.
    assert.equal((await call('/orders', token)).status, 200)
    clock.advance(1_100)
    assert.equal((await call('/orders', token)).status, 401)
  })

  test('org down: 503 with Retry-After for a new token, no upstream call; a cached token keeps working', async () => {
    const cached = await passwordToken(org, 'Order Portal')
    const fresh = await passwordToken(org, 'Order Portal')
    assert.equal((await call('/proxied', cached)).status, 200)
    const seenBefore = upstream.seen.length
    org.faults.unavailable = true
    try {
      const res = await call('/proxied', fresh)
      assert.equal(res.status, 503)
      assert.ok(Number(res.headers.get('retry-after')) > 0)
      assert.equal(upstream.seen.length, seenBefore)
      assert.equal((await call('/proxied', cached)).status, 200)
    } finally {
      org.faults.unavailable = false
    }
  })
})
