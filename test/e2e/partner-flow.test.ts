import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import * as oidc from 'openid-client'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { explainRequest } from '../../src/pipeline/explain.ts'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../helpers/devorg-gateway-config.ts'
import { lambdaOp } from '../helpers/temp-api.ts'
import { testClock } from '../helpers/test-clock.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8765/callback'
const ADMIN_TOKEN = randomBytes(24).toString('base64url')

const scheme = (contract: 'required' | 'none') => ({
  type: 'oauth2',
  flows: {
    authorizationCode: {
      authorizationUrl: 'http://127.0.0.1/a',
      tokenUrl: 'http://127.0.0.1/t',
      scopes: { api: 'API' },
    },
  },
  'x-forcegate-salesforce': { org: 'devorg', contract, api: 'order-status', cacheTtlSeconds: 1 },
})

interface Registered {
  partner: { clientId: string }
  credentials: { clientId: string; clientSecret: string }
}

/**
 * The whole external-gateway flow over real HTTP: a partner app registered at the dev org by
 * dynamic client registration through the admin API, a code flow with PKCE, API calls
 * enforced by token, scope, contract and usage plan.
 */
describe('partner onboarding and Salesforce token enforcement, end to end', () => {
  let org: DevOrg
  let gw: TestGateway
  const clock = testClock()
  before(async () => {
    org = await startDevOrg({ port: 0 })
    Object.assign(process.env, {
      E2E_IAT: org.seed.initialAccessToken,
      E2E_KEY: randomBytes(32).toString('base64'),
      E2E_ADMIN: ADMIN_TOKEN,
    })
    gw = await startTestGateway(
      openapi(
        {
          '/orders': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['api'] }] } },
          '/web': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['web'] }] } },
          '/open': { get: { ...lambdaOp('whoami'), security: [{ open: ['api'] }] } },
        },
        { components: { securitySchemes: { salesforce: scheme('required'), open: scheme('none') } } },
      ),
      {
        'whoami.mjs': WHOAMI_HANDLER,
      },
      [
        ...devorgSalesforceYaml(org, 'E2E_SF_SECRET'),
        'partners:',
        '  org:',
        `    url: ${org.url}`,
        '    initialAccessToken: { env: E2E_IAT }',
        '  store: { path: ":memory:" }',
        '  encryption: { key: { env: E2E_KEY } }',
        '  usagePlans:',
        '    - name: tiny',
        '      quota: { limit: 3, period: DAY }',
        '  admin: { token: { env: E2E_ADMIN } }',
        '',
      ].join('\n'),
      { clock: clock.now },
    )
  })
  after(async () => {
    await gw?.close()
    await org?.close()
  })

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${gw.url}/_forcegate/partners${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    })

  async function register(name: string, api: string, usagePlan?: string): Promise<Registered> {
    const res = await admin('', {
      method: 'POST',
      body: JSON.stringify({
        name,
        redirectUris: [REDIRECT],
        contracts: [{ api, scopes: ['api'], ...(usagePlan ? { usagePlan } : {}) }],
      }),
    })
    assert.equal(res.status, 201, await res.clone().text())
    return (await res.json()) as Registered
  }

  async function codeFlowToken(credentials: Registered['credentials']): Promise<string> {
    const config = await oidc.discovery(
      new URL(org.issuer),
      credentials.clientId,
      credentials.clientSecret,
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    )
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'api',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    return tokens.access_token
  }

  const call = (path: string, token: string) =>
    fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } })

  test('the admin API refuses callers without the admin token', async () => {
    assert.equal((await fetch(`${gw.url}/_forcegate/partners`)).status, 401)
    const wrong = await fetch(`${gw.url}/_forcegate/partners`, {
      headers: { authorization: 'Bearer not-the-admin-token' },
    })
    assert.equal(wrong.status, 403)
  })

  test('DCR → code flow with PKCE → 200 with the identity; usage plan → 429; suspended → 403', async () => {
    const partner = await register('Acme Logistics', 'order-status', 'tiny')
    assert.ok(partner.credentials.clientSecret, 'the secret is shown once')
    const shown = (await (await admin(`/${partner.partner.clientId}`)).json()) as Record<string, unknown>
    assert.equal(JSON.stringify(shown).includes(partner.credentials.clientSecret), false, 'never shown again')

    const token = await codeFlowToken(partner.credentials)
    const ok = await call('/orders', token)
    assert.equal(ok.status, 200, await ok.clone().text())
    const identity = (await ok.json()) as Record<string, string>
    assert.equal(identity.clientId, partner.credentials.clientId)
    assert.equal(identity.username, USER.username)
    assert.match(identity.principalId!, /^005/)
    assert.equal(ok.headers.get('ratelimit-limit'), '3')
    assert.equal(ok.headers.get('ratelimit-remaining'), '2')

    assert.equal((await call('/orders', token)).status, 200)
    assert.equal((await call('/orders', token)).status, 200)
    const over = await call('/orders', token)
    assert.equal(over.status, 429)
    assert.ok(Number(over.headers.get('retry-after')) > 0)
    assert.deepEqual(await over.json(), { message: 'Limit Exceeded' })

    assert.equal((await admin(`/${partner.partner.clientId}/suspend`, { method: 'POST' })).status, 200)
    const suspended = await call('/orders', token)
    assert.equal(suspended.status, 403)
  })

  test('explain decides like a request but never counts against the usage plan', async () => {
    const partner = await register('Explainer', 'order-status', 'tiny')
    const token = await codeFlowToken(partner.credentials)
    for (let i = 0; i < 4; i++) {
      const explained = await explainRequest(
        gw.gateway.table,
        { method: 'GET', target: '/orders', headers: [['Authorization', `Bearer ${token}`]] },
        Date.now,
      )
      assert.equal(explained.status, 200)
      assert.deepEqual(explained.steps.find((s) => s.step === 'usage')?.detail, {
        plan: 'tiny',
        counted: false,
      })
    }
    for (let i = 0; i < 3; i++) assert.equal((await call('/orders', token)).status, 200)
    assert.equal((await call('/orders', token)).status, 429)
  })

  test('a client without a contract for this API is 403; without the route scope 403', async () => {
    const partner = await register('Billing Only', 'billing')
    const token = await codeFlowToken(partner.credentials)
    assert.equal((await call('/orders', token)).status, 403)
    assert.equal((await call('/open', token)).status, 200)
    const scope = await call('/web', token)
    assert.equal(scope.status, 403)
    assert.match(scope.headers.get('www-authenticate') ?? '', /insufficient_scope/)
  })

  test('revoked → 401 once the cache allows; another org → 401 without a call; JWT token → no introspection', async () => {
    const partner = await register('Revoker', 'order-status')
    const token = await codeFlowToken(partner.credentials)
    assert.equal((await call('/orders', token)).status, 200)
    const revoke = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    })
    assert.equal(revoke.status, 200)
    clock.advance(1_100)
    assert.equal((await call('/orders', token)).status, 401)

    const before = org.counters.introspection
    assert.equal((await call('/orders', '00DXX0000000001!AQcFake')).status, 401)
    assert.equal(org.counters.introspection, before)

    const jwtApp = org.seed.connectedApps.find((a) => a.name === 'Order Status JWT')!
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: jwtApp.clientId,
        client_secret: jwtApp.clientSecret,
        ...USER,
      }),
    })
    const jwt = ((await res.json()) as { access_token: string }).access_token
    assert.equal((await call('/open', jwt)).status, 200)
    assert.equal(org.counters.introspection, before)
  })

  test('dev org down: 503 for a new token, a cached one keeps working', async () => {
    const partner = await register('Resilient', 'order-status')
    const cached = await codeFlowToken(partner.credentials)
    const fresh = await codeFlowToken(partner.credentials)
    assert.equal((await call('/orders', cached)).status, 200)
    org.faults.unavailable = true
    try {
      const res = await call('/orders', fresh)
      assert.equal(res.status, 503)
      assert.ok(res.headers.get('retry-after'))
      assert.equal((await call('/orders', cached)).status, 200)
    } finally {
      org.faults.unavailable = false
    }
  })
})
