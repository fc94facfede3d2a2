import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import type { DevOrgSeed } from '../../devorg/seed/seed-types.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { explainRequest } from '../../src/pipeline/explain.ts'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../helpers/devorg-gateway-config.ts'
import { freePort } from '../helpers/free-port.ts'
import { lambdaOp, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const JANE = { username: 'jane@forcegate.example.com', password: 'Jane-Developer-1' }
const MODERATOR = { username: 'moderator@forcegate.example.com', password: 'Blog-Moderator-1' }
const PARTNER = { username: 'reseller@partner.example.com', password: 'Partner-User-1' }

const sessionScheme = (require?: Record<string, unknown>) => ({
  type: 'apiKey',
  in: 'cookie',
  name: 'forcegate-session',
  'x-forcegate-session': require === undefined ? {} : { require },
})

describe('authorize by who the user is: browser sessions', () => {
  let org: DevOrg
  let gw: Gateway
  let api: TempApi
  let origin: string

  before(async () => {
    org = await startDevOrg({ port: 0 })
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    const registered = await fetch(`${org.url}/services/oauth2/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.seed.initialAccessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Site under test',
        redirect_uris: [`${origin}/portal/callback`],
        post_logout_redirect_uris: [`${origin}/portal/signed-out`],
        scope: 'openid profile email api',
      }),
    })
    assert.equal(registered.status, 201)
    const client = (await registered.json()) as { client_id: string; client_secret: string }
    Object.assign(process.env, {
      IA_PORTAL: client.client_secret,
      IA_IAT: org.seed.initialAccessToken,
      IA_KEY: randomBytes(32).toString('base64'),
    })
    api = await tempApi(
      openapi(
        {
          '/me': { get: { ...lambdaOp('whoami'), security: [{ anyone: [] }] } },
          '/publish': { post: { ...lambdaOp('whoami'), security: [{ employees: [] }] } },
          '/moderate': { post: { ...lambdaOp('whoami'), security: [{ moderators: [] }] } },
        },
        {
          components: {
            securitySchemes: {
              anyone: sessionScheme(),
              employees: sessionScheme({ userType: ['STANDARD'] }),
              moderators: sessionScheme({ permissionSets: ['Blog_Moderator'] }),
            },
          },
        },
      ),
      { 'whoami.mjs': WHOAMI_HANDLER },
    )
    const config = await api.file(
      'forcegate.yaml',
      [
        ...devorgSalesforceYaml(org, 'IA_SF', { orgId: false }),
        'partners:',
        `  org: { url: ${org.url}, initialAccessToken: { env: IA_IAT } }`,
        '  store: { path: ":memory:" }',
        '  encryption: { key: { env: IA_KEY } }',
        'portal:',
        `  publicOrigin: ${origin}`,
        '  org: devorg',
        `  client: { clientId: ${client.client_id}, clientSecret: { env: IA_PORTAL } }`,
        '  sessions: { path: ":memory:" }',
        '',
      ].join('\n'),
    )
    gw = await startGateway({
      apiFile: api.apiFile,
      configFile: config,
      port,
      logger: createLogger('silent'),
    })
  })
  after(async () => {
    await gw?.close()
    await api?.remove()
    await org?.close()
  })

  async function signIn(user: { username: string; password: string }): Promise<Browser> {
    const browser = new Browser()
    const start = await browser.get(`${origin}/portal/login`)
    assert.equal(start.status, 303)
    const callback = await authorizeInteractively(browser, start.location!, user)
    const landed = await browser.get(callback.href)
    assert.ok(landed.status === 302 || landed.status === 303, `callback answered ${landed.status}`)
    assert.equal((await browser.get(`${origin}/me`)).status, 200)
    return browser
  }

  const post = (browser: Browser, path: string) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { cookie: browser.jar.header(), origin, 'sec-fetch-site': 'same-origin' },
    })

  test('an employee passes userType STANDARD; a partner user signed in is refused 403', async () => {
    const jane = await signIn(JANE)
    assert.equal((await post(jane, '/publish')).status, 200)
    const partner = await signIn(PARTNER)
    const refused = await post(partner, '/publish')
    assert.equal(refused.status, 403)
  })

  test('permission sets are asked of the org as the signed-in user', async () => {
    const moderator = await signIn(MODERATOR)
    assert.equal((await post(moderator, '/moderate')).status, 200)
    const jane = await signIn(JANE)
    assert.equal((await post(jane, '/moderate')).status, 403)
  })
})

describe('authorize by who the user is: a session whose app includes claims in the ID token', () => {
  let org: DevOrg
  let gw: Gateway
  let api: TempApi
  let origin: string
  const counted = { identity: 0 }

  before(async () => {
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    const seed = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'devorg', 'seed', 'default-seed.json'), 'utf8'),
    ) as DevOrgSeed
    const blog = seed.connectedApps.find((a) => a.name === 'Employee Blog')!
    blog.redirectUris = [`${origin}/portal/callback`]
    blog.postLogoutRedirectUris = [`${origin}/portal/signed-out`]
    org = await startDevOrg({ port: 0, seed })
    Object.assign(process.env, {
      IB_PORTAL: blog.clientSecret,
      IB_IAT: seed.initialAccessToken,
      IB_KEY: randomBytes(32).toString('base64'),
    })
    api = await tempApi(
      openapi(
        {
          '/me': { get: { ...lambdaOp('whoami'), security: [{ anyone: [] }] } },
          '/publish': { post: { ...lambdaOp('whoami'), security: [{ publishers: [] }] } },
        },
        {
          components: {
            securitySchemes: {
              anyone: sessionScheme(),
              publishers: sessionScheme({
                customPermissions: { allOf: ['Publish_Blog_Posts'] },
                customAttributes: { Department: ['Engineering'] },
              }),
            },
          },
        },
      ),
      { 'whoami.mjs': WHOAMI_HANDLER },
    )
    const config = await api.file(
      'forcegate.yaml',
      [
        ...devorgSalesforceYaml(org, 'IB_SF', { orgId: false }),
        'partners:',
        `  org: { url: ${org.url}, initialAccessToken: { env: IB_IAT } }`,
        '  store: { path: ":memory:" }',
        '  encryption: { key: { env: IB_KEY } }',
        'portal:',
        `  publicOrigin: ${origin}`,
        '  org: devorg',
        `  client: { clientId: ${blog.clientId}, clientSecret: { env: IB_PORTAL } }`,
        '  sessions: { path: ":memory:" }',
        '',
      ].join('\n'),
    )
    // Every call the gateway makes, so that the identity URL is seen not to be asked.
    const realFetch = globalThis.fetch
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      if (new URL(url).pathname.startsWith('/id/00D')) counted.identity++
      return realFetch(input, init)
    }) as typeof fetch
    gw = await startGateway({
      apiFile: api.apiFile,
      configFile: config,
      port,
      logger: createLogger('silent'),
    })
    globalThis.fetch = realFetch
  })
  after(async () => {
    await gw?.close()
    await api?.remove()
    await org?.close()
  })

  test('custom permissions and attributes come from the ID token: no identity URL call', async () => {
    const browser = new Browser()
    const start = await browser.get(`${origin}/portal/login`)
    const callback = await authorizeInteractively(browser, start.location!, JANE)
    await browser.get(callback.href)
    const headers = { cookie: browser.jar.header(), origin, 'sec-fetch-site': 'same-origin' }
    assert.equal((await fetch(`${origin}/publish`, { method: 'POST', headers })).status, 200)
    const trail = await explainRequest(
      gw.table,
      { method: 'POST', target: '/publish', headers: Object.entries(headers) },
      Date.now,
    )
    assert.equal(trail.status, 200)
    const facts = trail.steps.find((s) => s.step === 'identity')?.detail.facts as Record<
      string,
      { source: string; value: unknown }
    >
    assert.equal(facts.customPermissions?.source, 'id_token')
    assert.deepEqual(facts.customAttributes?.value, {
      Department: 'Engineering',
      Role: 'Engineering',
      Site: 'Acme Engineering Blog',
    })
    assert.equal(facts.customAttributes?.source, 'id_token')
    assert.deepEqual(trail.steps.find((s) => s.step === 'identity facts')?.detail.asked, [])
    assert.equal(counted.identity, 0)
  })
})
