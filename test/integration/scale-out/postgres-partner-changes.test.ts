import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import * as oidc from 'openid-client'
import pg from 'pg'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { authorizeInteractively, Browser } from '../../devorg/oauth/browser.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { RedisServer } from '../../helpers/redis-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { lambdaOp } from '../../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8767/callback'
const ADMIN_TOKEN = randomBytes(24).toString('base64url')
/** The configured bound (changePollMs); decisions are cached far longer, so only the feed explains a refusal. */
const BOUND_MS = 1000
const QUERY_TIMEOUT_MS = 400

interface Credentials {
  clientId: string
  clientSecret: string
}

/**
 * Three in-process gateways sharing one PostgreSQL partner store and one Redis: a partner
 * suspended, rotated or deleted through one of them is refused by all three within the
 * configured bound, and a PostgreSQL restart is answered 503 within the query timeout and
 * recovered from without help.
 */
serviceSuite(
  'partner changes reach three gateways through PostgreSQL',
  ['postgres', 'redis'],
  { timeout: 120_000 },
  () => {
    let org: DevOrg
    let postgres: PostgresServer
    let redis: RedisServer
    let dir: string
    const gateways: TestGateway[] = []
    let clientId: string
    let accessToken: string

    async function tokenFor(credentials: Credentials): Promise<string> {
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
      return tokens.access_token
    }

    const admin = async (gw: TestGateway, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${gw.url}/_forcegate/partners${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await response.text()
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${text}`)
      return JSON.parse(text) as Record<string, unknown>
    }

    const call = async (gw: TestGateway, token = accessToken) => {
      const response = await fetch(`${gw.url}/orders/1`, { headers: { authorization: `Bearer ${token}` } })
      await response.body?.cancel()
      return response
    }

    /** Calls every gateway until each answers `status`; returns how long the slowest took. */
    async function allAnswer(
      status: number,
      token = accessToken,
      deadlineMs = BOUND_MS + 1500,
    ): Promise<number> {
      const started = performance.now()
      const took = await Promise.all(
        gateways.map(async (gw, i) => {
          let last = 0
          while (performance.now() - started < deadlineMs) {
            last = (await call(gw, token)).status
            if (last === status) return performance.now() - started
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
          assert.fail(`gateway ${i} still answers ${last}, not ${status}, after ${deadlineMs} ms`)
        }),
      )
      return Math.max(...took)
    }

    before(async () => {
      postgres = await PostgresServer.start()
      redis = await RedisServer.start()
      org = await startDevOrg({ port: 0 })
      dir = mkdtempSync(join(tmpdir(), 'forcegate-pg-changes-'))
      Object.assign(process.env, {
        PC_IAT: org.seed.initialAccessToken,
        PC_KEY: randomBytes(32).toString('base64'),
        PC_ADMIN: ADMIN_TOKEN,
        PC_REDIS: redis.url,
        PC_PG: await postgres.createDatabase(),
      })
      const yaml = [
        ...devorgSalesforceYaml(org, 'PC_SF_SECRET'),
        'partners:',
        '  org:',
        `    url: ${org.url}`,
        '    initialAccessToken: { env: PC_IAT }',
        `  store: { path: ${JSON.stringify(join(dir, 'unused.db'))} }`,
        '  encryption: { key: { env: PC_KEY } }',
        '  contractCacheTtlSeconds: 3600',
        '  usagePlans:',
        '    - name: daily',
        '      quota: { limit: 100000, period: DAY }',
        '  admin: { token: { env: PC_ADMIN } }',
        'stores:',
        '  redis:',
        '    url: { env: PC_REDIS }',
        '    instances: 3',
        '  postgres:',
        '    url: { env: PC_PG }',
        `    queryTimeoutMs: ${QUERY_TIMEOUT_MS}`,
        `    changePollMs: ${BOUND_MS}`,
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
      const registered = await admin(gateways[0]!, 'POST', '', {
        name: 'Shared Partner Co',
        redirectUris: [REDIRECT],
        contracts: [{ api: 'orders', scopes: ['api'], usagePlan: 'daily' }],
      })
      const credentials = registered.credentials as Credentials
      clientId = credentials.clientId
      accessToken = await tokenFor(credentials)
    })
    after(async () => {
      for (const gw of gateways) await gw.close()
      await org?.close()
      await redis?.close()
      await postgres?.close()
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    })

    test('a partner suspended through one gateway is refused by all three within the bound', async () => {
      await allAnswer(200)
      await admin(gateways[1]!, 'POST', `/${clientId}/suspend`)
      assert.ok((await allAnswer(403)) < BOUND_MS)
      await admin(gateways[2]!, 'POST', `/${clientId}/resume`)
      assert.ok((await allAnswer(200)) < BOUND_MS)
    })

    test('rotation and deletion likewise: the old client, then the deleted one, refused everywhere', async () => {
      await allAnswer(200)
      const rotated = await admin(gateways[2]!, 'POST', `/${clientId}/rotate`)
      assert.ok((await allAnswer(403)) < BOUND_MS, 'the replaced client is refused')
      const credentials = rotated.credentials as Credentials
      clientId = credentials.clientId
      accessToken = await tokenFor(credentials)
      await allAnswer(200)
      await admin(gateways[0]!, 'DELETE', `/${clientId}`)
      assert.ok((await allAnswer(403)) < BOUND_MS, 'the deleted client is refused')
      const again = await admin(gateways[1]!, 'POST', '', {
        name: 'Shared Partner Co',
        redirectUris: [REDIRECT],
        contracts: [{ api: 'orders', scopes: ['api'], usagePlan: 'daily' }],
      })
      const fresh = again.credentials as Credentials
      clientId = fresh.clientId
      accessToken = await tokenFor(fresh)
      await allAnswer(200)
    })

    test('a change no notification announced is found by the version poll within the bound', async () => {
      await allAnswer(200)
      const sql = new pg.Client({ connectionString: process.env.PC_PG })
      await sql.connect()
      try {
        const set = (status: string) =>
          sql.query(
            `UPDATE partners SET status = $1, version = nextval('partner_versions')
           WHERE partner_id = (SELECT partner_id FROM partner_clients WHERE client_id = $2)`,
            [status, clientId],
          )
        await set('suspended')
        assert.ok((await allAnswer(403, accessToken, BOUND_MS + 1000)) < BOUND_MS + 500)
        await set('active')
        await allAnswer(200, accessToken, BOUND_MS + 1000)
      } finally {
        await sql.end()
      }
    })

    test('PostgreSQL restarted: 503 with Retry-After within the timeout, then back by itself', async () => {
      await allAnswer(200)
      await postgres.stop()
      // Within the bound every cached decision is gone: each gateway must ask the store.
      await new Promise((resolve) => setTimeout(resolve, BOUND_MS + 200))
      const started = performance.now()
      const answers = await Promise.all(
        gateways.map((gw) =>
          fetch(`${gw.url}/orders/1`, { headers: { authorization: `Bearer ${accessToken}` } }),
        ),
      )
      const took = performance.now() - started
      for (const r of answers) {
        assert.equal(r.status, 503, await r.clone().text())
        assert.equal(r.headers.get('retry-after'), '1')
        assert.deepEqual(await r.json(), { message: 'Service Unavailable' })
      }
      assert.ok(took < QUERY_TIMEOUT_MS + 1500, `answered after ${took} ms`)
      const ready = await fetch(`${gateways[0]!.url}/_forcegate/ready`)
      assert.equal(ready.status, 503)
      assert.deepEqual(await ready.json(), { status: 'unavailable', stores: ['postgres'] })
      await postgres.restart()
      await allAnswer(200, accessToken, 10_000)
      assert.equal((await fetch(`${gateways[0]!.url}/_forcegate/ready`)).status, 200)
      // The feed listens again: a suspension still reaches every gateway within the bound.
      await admin(gateways[0]!, 'POST', `/${clientId}/suspend`)
      assert.ok((await allAnswer(403)) < BOUND_MS)
      await admin(gateways[0]!, 'POST', `/${clientId}/resume`)
      await allAnswer(200)
    })
  },
)
