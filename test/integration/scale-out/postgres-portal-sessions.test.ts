// Two gateways behind one public origin sharing PostgreSQL: a portal session begun on one is
// valid on the other, signing out on one ends it on both, and the rows PostgreSQL holds carry
// no token in clear; with PostgreSQL stopped, readiness names it.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { type Gateway, startGateway } from '../../../src/gateway.ts'
import { createLogger } from '../../../src/observability/logger.ts'
import { openRecord } from '../../../src/portal/sealed-record.ts'
import { SESSION_ACCESS_TOKEN } from '../../../src/portal/session-route-auth.ts'
import { sessionSecretBox } from '../../../src/portal/session-secret-box.ts'
import type { BrowserSession } from '../../../src/portal/session-store.ts'
import { authorizeInteractively, Browser } from '../../devorg/oauth/browser.ts'
import { until } from '../../e2e/relay/relay-harness.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { freePort } from '../../helpers/free-port.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { lambdaOp, type TempApi, tempApi } from '../../helpers/temp-api.ts'
import { openapi } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const KEY = randomBytes(32).toString('base64')

serviceSuite('portal sessions shared through PostgreSQL', ['postgres'], { timeout: 120_000 }, () => {
  let org: DevOrg
  let postgres: PostgresServer
  let url: string
  let api: TempApi
  let origin: string
  const gateways: Gateway[] = []

  before(async () => {
    postgres = await PostgresServer.start()
    url = await postgres.createDatabase()
    org = await startDevOrg({ port: 0 })
    const ports = [await freePort(), await freePort()]
    // The public origin is the first gateway's, as a load balancer in front of both would be.
    origin = `http://127.0.0.1:${ports[0]}`
    const registered = await fetch(`${org.url}/services/oauth2/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.seed.initialAccessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Portal behind two gateways',
        redirect_uris: [`${origin}/portal/callback`],
        post_logout_redirect_uris: [`${origin}/portal/signed-out`],
        scope: 'openid profile email api',
      }),
    })
    assert.equal(registered.status, 201)
    const client = (await registered.json()) as { client_id: string; client_secret: string }
    Object.assign(process.env, {
      PS_PORTAL: client.client_secret,
      PS_IAT: org.seed.initialAccessToken,
      PS_KEY: KEY,
      PS_PG: url,
    })
    api = await tempApi(
      openapi(
        { '/me': { get: { ...lambdaOp('me'), security: [{ browser: [] }] } } },
        {
          components: {
            securitySchemes: {
              browser: { type: 'apiKey', in: 'cookie', name: 'forcegate-session', 'x-forcegate-session': {} },
            },
          },
        },
      ),
      { 'me.mjs': WHOAMI_HANDLER },
    )
    const config = await api.file(
      'forcegate.yaml',
      [
        ...devorgSalesforceYaml(org, 'PS_SF', { orgId: false }),
        'partners:',
        `  org: { url: ${org.url}, initialAccessToken: { env: PS_IAT } }`,
        '  encryption: { key: { env: PS_KEY } }',
        'portal:',
        `  publicOrigin: ${origin}`,
        '  org: devorg',
        `  client: { clientId: ${client.client_id}, clientSecret: { env: PS_PORTAL } }`,
        'stores:',
        '  postgres: { url: { env: PS_PG }, queryTimeoutMs: 500 }',
        '',
      ].join('\n'),
    )
    for (const port of ports)
      gateways.push(
        await startGateway({
          apiFile: api.apiFile,
          configFile: config,
          port,
          logger: createLogger('silent'),
        }),
      )
  })
  after(async () => {
    for (const gw of gateways) await gw.close()
    await api?.remove()
    await org?.close()
    await postgres?.close()
  })

  async function rows(): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const sessions = await client.query('SELECT * FROM portal_sessions')
      const logins = await client.query('SELECT * FROM portal_login_transactions')
      return [...sessions.rows, ...logins.rows]
    } finally {
      await client.end()
    }
  }

  test('signed in through one gateway, the session works on the other; signed out on one, it ends on both', async () => {
    const [a, b] = gateways as [Gateway, Gateway]
    const browser = new Browser()
    const start = await browser.get(`${a.url}/portal/login`)
    assert.equal(start.status, 303)
    const callback = await authorizeInteractively(browser, start.location!, USER)
    assert.equal(callback.origin, origin)
    const landed = await browser.get(callback.href)
    assert.ok(landed.status === 302 || landed.status === 303, `callback answered ${landed.status}`)

    const onB = await browser.get(`${b.url}/me`)
    assert.equal(onB.status, 200, onB.body)
    assert.equal((JSON.parse(onB.body) as Record<string, string>).username, USER.username)
    assert.equal((await browser.get(`${a.url}/me`)).status, 200)

    // What PostgreSQL holds: the cookie's hash, an expiry and a sealed record.
    const stored = await rows()
    assert.equal(stored.length, 1, 'one session; the login transaction was spent')
    const row = stored[0] as { key: string; record: string }
    assert.match(row.record, /^k[0-9a-f]{16}\.[A-Za-z0-9_-]+$/)
    const session = openRecord<BrowserSession>(
      sessionSecretBox(KEY),
      row.record,
      `portal_sessions\0${row.key}`,
    )
    const secrets = [session?.idToken, session?.data[SESSION_ACCESS_TOKEN], session?.csrfToken]
    for (const secret of secrets)
      assert.ok(secret !== undefined && secret.length > 20, 'the session holds its tokens')
    const raw = JSON.stringify(stored)
    for (const secret of [...secrets, USER.username, session?.userId])
      assert.equal(raw.includes(String(secret)), false, 'nothing of the session is in clear')

    // Sign out on A with the form's CSRF token; B no longer knows the cookie.
    const page = await browser.get(`${a.url}/portal/apps`)
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1]
    assert.ok(csrf, page.body.slice(0, 300))
    const out = await browser.post(`${a.url}/portal/logout`, { csrf })
    assert.ok(out.status === 302 || out.status === 303, `logout answered ${out.status}`)
    assert.deepEqual(await rows(), [])
    assert.equal((await browser.get(`${b.url}/me`)).status, 401)
  })

  test('a sign-in begun on one gateway completes on the other, once', async () => {
    const [a, b] = gateways as [Gateway, Gateway]
    const browser = new Browser()
    const start = await browser.get(`${a.url}/portal/login`)
    assert.equal(start.status, 303)
    const callback = await authorizeInteractively(browser, start.location!, USER)
    // The load balancer sends the callback to the other instance.
    const onB = new URL(callback.pathname + callback.search, b.url)
    const landed = await browser.get(onB.href)
    assert.ok(landed.status === 302 || landed.status === 303, `callback on B answered ${landed.status}`)
    assert.equal((await browser.get(`${a.url}/me`)).status, 200)
    // The same callback again, on either instance, finds its transaction spent.
    const replayed = await new Browser().get(callback.href)
    assert.ok(replayed.status >= 400, `a replayed callback answered ${replayed.status}`)
    const again = await browser.get(onB.href)
    assert.ok(again.status >= 400, `a replayed callback answered ${again.status}`)
    assert.equal((await rows()).filter((row) => 'state' in row).length, 0, 'no transaction left')
  })

  test('readiness names postgres while it is stopped, and is ready again once it is back', async () => {
    const [a] = gateways as [Gateway, Gateway]
    assert.equal((await fetch(`${a.url}/_forcegate/ready`)).status, 200)
    await postgres.stop()
    try {
      const down = await fetch(`${a.url}/_forcegate/ready`)
      assert.equal(down.status, 503)
      assert.deepEqual(await down.json(), { status: 'unavailable', stores: ['postgres'] })
    } finally {
      await postgres.restart()
    }
    await until(async () => (await fetch(`${a.url}/_forcegate/ready`)).status === 200, 'ready again')
  })
})
