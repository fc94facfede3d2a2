import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import * as oidc from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { authorizeInteractively, Browser } from '../../devorg/oauth/browser.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { RedisServer } from '../../helpers/redis-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { lambdaOp } from '../../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8767/callback'
const ADMIN_TOKEN = randomBytes(24).toString('base64url')
const COMMAND_TIMEOUT_MS = 200

/**
 * Three gateways sharing one Redis for usage plans (and one partner database): a partner's
 * daily quota holds across them exactly, and with Redis gone each answers 503 with Retry-After
 * within the command timeout, then counts in Redis again once it is back.
 */
serviceSuite('usage plans shared through Redis by three gateways', ['redis'], { timeout: 90_000 }, () => {
  let org: DevOrg
  let redis: RedisServer
  let dir: string
  const gateways: TestGateway[] = []
  let accessToken: string

  before(async () => {
    redis = await RedisServer.start()
    org = await startDevOrg({ port: 0 })
    dir = mkdtempSync(join(tmpdir(), 'forcegate-scale-'))
    Object.assign(process.env, {
      SO_IAT: org.seed.initialAccessToken,
      SO_KEY: randomBytes(32).toString('base64'),
      SO_ADMIN: ADMIN_TOKEN,
      SO_REDIS: redis.url,
    })
    const yaml = [
      ...devorgSalesforceYaml(org, 'SO_SF_SECRET'),
      'partners:',
      '  org:',
      `    url: ${org.url}`,
      '    initialAccessToken: { env: SO_IAT }',
      `  store: { path: ${JSON.stringify(join(dir, 'partners.db'))} }`,
      '  encryption: { key: { env: SO_KEY } }',
      '  usagePlans:',
      '    - name: daily',
      '      quota: { limit: 7, period: DAY }',
      '  admin: { token: { env: SO_ADMIN } }',
      'stores:',
      '  redis:',
      '    url: { env: SO_REDIS }',
      '    onStoreError: closed',
      '    instances: 3',
      `    commandTimeoutMs: ${COMMAND_TIMEOUT_MS}`,
      '    retryAfterSeconds: 3',
      '',
    ].join('\n')
    const scheme = {
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: 'http://127.0.0.1/a',
          tokenUrl: 'http://127.0.0.1/t',
          scopes: { api: 'API' },
        },
      },
      'x-forcegate-salesforce': { org: 'devorg', contract: 'required', api: 'orders', cacheTtlSeconds: 1 },
    }
    const document = openapi(
      { '/orders/{id}': { get: { ...lambdaOp('whoami'), security: [{ orders: ['api'] }] } } },
      { components: { securitySchemes: { orders: scheme } } },
    )
    for (let i = 0; i < 3; i++)
      gateways.push(await startTestGateway(document, { 'whoami.mjs': WHOAMI_HANDLER }, yaml))

    const registered = await fetch(`${gateways[0]!.url}/_forcegate/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Shared Quota Co',
        redirectUris: [REDIRECT],
        contracts: [{ api: 'orders', scopes: ['api'], usagePlan: 'daily' }],
      }),
    })
    assert.equal(registered.status, 201, await registered.clone().text())
    const { credentials } = (await registered.json()) as {
      credentials: { clientId: string; clientSecret: string }
    }
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
    accessToken = tokens.access_token
  })
  after(async () => {
    for (const gw of gateways) await gw.close()
    await org?.close()
    await redis?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  const call = (gw: TestGateway) =>
    fetch(`${gw.url}/orders/1`, { headers: { authorization: `Bearer ${accessToken}` } })

  test('a plan of 7 calls a day admits exactly 7 over three gateways, concurrently', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call(gateways[i % 3]!)))
    const statuses = answers.map((r) => r.status)
    assert.equal(statuses.filter((s) => s === 200).length, 7, statuses.join(' '))
    assert.equal(statuses.filter((s) => s === 429).length, 23, statuses.join(' '))
    const refused = answers.find((r) => r.status === 429)!
    assert.equal(refused.headers.get('ratelimit-remaining'), '0')
    assert.equal(refused.headers.get('ratelimit-limit'), '7')
    assert.ok(Number(refused.headers.get('retry-after')) > 0)
    for (const r of answers) await r.body?.cancel()
  })

  test('Redis stopped, then frozen: 503 with Retry-After within the timeout; back by itself', async () => {
    const unavailable = async (label: string) => {
      const started = performance.now()
      const answers = await Promise.all(gateways.map(call))
      const took = performance.now() - started
      for (const r of answers) {
        assert.equal(r.status, 503, `${label}: ${await r.clone().text()}`)
        assert.equal(r.headers.get('retry-after'), '3')
        assert.deepEqual(await r.json(), { message: 'Service Unavailable' })
      }
      assert.ok(took < COMMAND_TIMEOUT_MS + 1500, `${label}: answered after ${took} ms`)
    }
    const readiness = async (gw: { url: string }) => {
      const r = await fetch(`${gw.url}/_forcegate/ready`)
      return { status: r.status, body: await r.json() }
    }
    assert.deepEqual(await readiness(gateways[0]!), { status: 200, body: { status: 'ready' } })
    await redis.stop()
    await unavailable('stopped')
    // A load balancer's readiness probe sees which shared store is away (its name only).
    for (const gw of gateways)
      assert.deepEqual(await readiness(gw), {
        status: 503,
        body: { status: 'unavailable', stores: ['redis'] },
      })
    await redis.restart()
    // Nothing persisted: the restarted Redis counts from zero. Each gateway reconnects alone.
    for (const gw of gateways) {
      const deadline = Date.now() + 10_000
      let status = 0
      while (status !== 200 && Date.now() < deadline) {
        const r = await call(gw)
        status = r.status
        await r.body?.cancel()
      }
      assert.equal(status, 200)
      assert.equal((await readiness(gw)).status, 200)
    }
    redis.freeze()
    try {
      await unavailable('frozen')
    } finally {
      redis.thaw()
    }
  })
})
