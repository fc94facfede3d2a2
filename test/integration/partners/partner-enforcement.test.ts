import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import * as oidc from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { authorizeInteractively, Browser } from '../../devorg/oauth/browser.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { lambdaOp } from '../../helpers/temp-api.ts'
import { testClock } from '../../helpers/test-clock.ts'
import { openapi, startTestGateway, type TestGateway } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8767/callback'
const ADMIN_TOKEN = randomBytes(24).toString('base64url')

const scheme = (api: string) => ({
  type: 'oauth2',
  flows: {
    authorizationCode: {
      authorizationUrl: 'http://127.0.0.1/a',
      tokenUrl: 'http://127.0.0.1/t',
      scopes: { api: 'API', id: 'Identity' },
    },
  },
  'x-forcegate-salesforce': { org: 'devorg', contract: 'required', api, cacheTtlSeconds: 1 },
})

interface Credentials {
  clientId: string
  clientSecret: string
}

/**
 * What a partner holding a token can do at the gateway, over real HTTP: the scopes of its
 * contract bound the scopes of its token, and a rotated client id counts against the same
 * quota as the client it replaced.
 */
describe('partner contracts at the gateway', () => {
  const clock = testClock()
  let org: DevOrg
  let gw: TestGateway
  before(async () => {
    org = await startDevOrg({ port: 0, clock: clock.now })
    Object.assign(process.env, {
      PE_IAT: org.seed.initialAccessToken,
      PE_KEY: randomBytes(32).toString('base64'),
      PE_ADMIN: ADMIN_TOKEN,
    })
    gw = await startTestGateway(
      openapi(
        {
          '/orders/{id}': { get: { ...lambdaOp('whoami'), security: [{ orders: ['api'] }] } },
          '/me': { get: { ...lambdaOp('whoami'), security: [{ orders: ['id'] }] } },
          '/reports': { get: { ...lambdaOp('whoami'), security: [{ reports: ['api'] }] } },
        },
        { components: { securitySchemes: { orders: scheme('order-status'), reports: scheme('reports') } } },
      ),
      { 'whoami.mjs': WHOAMI_HANDLER },
      [
        ...devorgSalesforceYaml(org, 'PE_SF_SECRET'),
        'partners:',
        '  org:',
        `    url: ${org.url}`,
        '    initialAccessToken: { env: PE_IAT }',
        '  store: { path: ":memory:" }',
        '  encryption: { key: { env: PE_KEY } }',
        '  usagePlans:',
        '    - name: tiny',
        '      quota: { limit: 2, period: DAY }',
        '  admin: { token: { env: PE_ADMIN } }',
        '',
      ].join('\n'),
      { clock: clock.now },
    )
  })
  after(async () => {
    await gw?.close()
    await org?.close()
  })

  const admin = (path: string, body?: unknown) =>
    fetch(`${gw.url}/_forcegate/partners${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })

  async function register(name: string, contracts: unknown[]): Promise<Credentials> {
    const res = await admin('', { name, redirectUris: [REDIRECT], contracts })
    assert.equal(res.status, 201, await res.clone().text())
    return ((await res.json()) as { credentials: Credentials }).credentials
  }

  async function token(credentials: Credentials, scope: string): Promise<string> {
    const config = await oidc.discovery(
      new URL(org.issuer),
      credentials.clientId,
      credentials.clientSecret,
      undefined,
      { execute: [oidc.allowInsecureRequests] },
    )
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
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

  const call = (path: string, accessToken: string) =>
    fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })

  test("a route scope the API's contract does not hold is 403 insufficient_scope, whatever the token holds", async () => {
    const credentials = await register('Scoped Co', [
      { api: 'order-status', scopes: ['id'] },
      { api: 'reports', scopes: ['api'] },
    ])
    const both = await token(credentials, 'api id')

    const orders = await call('/orders/1001', both)
    assert.equal(orders.status, 403, await orders.clone().text())
    assert.match(orders.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="api"/)
    const me = await call('/me', both)
    assert.equal(me.status, 200, 'order-status holds id')
    const reports = await call('/reports', both)
    assert.equal(reports.status, 200, 'reports holds api')
  })

  test('rotation keeps the quota: the new client id is refused until the window resets', async () => {
    const credentials = await register('Quota Co', [
      { api: 'order-status', scopes: ['api'], usagePlan: 'tiny' },
    ])
    const first = await token(credentials, 'api')
    assert.equal((await call('/orders/1', first)).status, 200)
    assert.equal((await call('/orders/1', first)).status, 200)
    assert.equal((await call('/orders/1', first)).status, 429)

    const rotated = await admin(`/${encodeURIComponent(credentials.clientId)}/rotate`)
    assert.equal(rotated.status, 200, await rotated.clone().text())
    const fresh = ((await rotated.json()) as { credentials: Credentials }).credentials
    assert.notEqual(fresh.clientId, credentials.clientId)
    const second = await token(fresh, 'api')
    const refused = await call('/orders/1', second)
    assert.equal(refused.status, 429, 'the rotated client is still over the quota')
    assert.ok(Number(refused.headers.get('retry-after')) > 0)

    // Another app of the same partner shares the count too.
    const sibling = await register('Quota Co', [{ api: 'order-status', scopes: ['api'], usagePlan: 'tiny' }])
    assert.equal((await call('/orders/1', await token(sibling, 'api'))).status, 429)

    clock.advance(24 * 3_600_000)
    assert.equal((await call('/orders/1', await token(fresh, 'api'))).status, 200, 'a new window')
  })

  test('suspending through one client suspends every client of the partner; rotation cannot resume it', async () => {
    const one = await register('Suspended Co', [{ api: 'order-status', scopes: ['api'] }])
    const two = await register('Suspended Co', [{ api: 'order-status', scopes: ['api'] }])
    const tokenTwo = await token(two, 'api')
    assert.equal((await call('/orders/1', tokenTwo)).status, 200)

    assert.equal((await admin(`/${encodeURIComponent(one.clientId)}/suspend`)).status, 200)
    assert.equal((await call('/orders/1', tokenTwo)).status, 403, "the partner's other client is refused")

    const rotate = await admin(`/${encodeURIComponent(two.clientId)}/rotate`)
    assert.equal(rotate.status, 403)
    assert.equal(((await rotate.json()) as { code: string }).code, 'PARTNER_SUSPENDED')
    const again = await admin('', {
      name: 'Suspended Co',
      redirectUris: [REDIRECT],
      contracts: [{ api: 'order-status', scopes: ['api'] }],
    })
    assert.equal(again.status, 403, 'a suspended partner registers no new app')

    assert.equal((await admin(`/${encodeURIComponent(one.clientId)}/resume`)).status, 200)
    assert.equal((await call('/orders/1', tokenTwo)).status, 200)
  })
})
