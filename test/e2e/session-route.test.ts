import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { after, before, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { devorgSalesforceYaml } from '../helpers/devorg-gateway-config.ts'
import { lambdaOp, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

let org: DevOrg
let gw: Gateway
let api: TempApi
let origin: string

before(async () => {
  org = await startDevOrg({ port: 0 })
  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  // The portal's own connected app, registered for this gateway's callback.
  const registered = await fetch(`${org.url}/services/oauth2/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.seed.initialAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Portal under test',
      redirect_uris: [`${origin}/portal/callback`],
      post_logout_redirect_uris: [`${origin}/portal/signed-out`],
      scope: 'openid profile email api',
    }),
  })
  assert.equal(registered.status, 201)
  const client = (await registered.json()) as { client_id: string; client_secret: string }
  Object.assign(process.env, {
    SR_PORTAL: client.client_secret,
    SR_IAT: org.seed.initialAccessToken,
    SR_KEY: randomBytes(32).toString('base64'),
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
    {
      'me.mjs':
        'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) })\n',
    },
  )
  const config = await api.file(
    'forcegate.yaml',
    [
      ...devorgSalesforceYaml(org, 'SR_SF', { orgId: false }),
      'partners:',
      `  org: { url: ${org.url}, initialAccessToken: { env: SR_IAT } }`,
      '  store: { path: ":memory:" }',
      '  encryption: { key: { env: SR_KEY } }',
      'portal:',
      `  publicOrigin: ${origin}`,
      '  org: devorg',
      `  client: { clientId: ${client.client_id}, clientSecret: { env: SR_PORTAL } }`,
      '  sessions: { path: ":memory:" }',
      '',
    ].join('\n'),
  )
  gw = await startGateway({ apiFile: api.apiFile, configFile: config, port, logger: createLogger('silent') })
})
after(async () => {
  await gw?.close()
  await api?.remove()
  await org?.close()
})

test('a route with x-forcegate-session needs a portal sign-in; the identity reaches the handler', async () => {
  assert.equal((await fetch(`${origin}/me`)).status, 401)
  const browser = new Browser()
  const start = await browser.get(`${origin}/portal/login`)
  assert.equal(start.status, 303)
  const callback = await authorizeInteractively(browser, start.location!, USER)
  assert.equal(callback.origin, origin)
  const landed = await browser.get(callback.href)
  assert.ok(
    landed.status === 302 || landed.status === 303,
    `callback answered ${landed.status}: ${landed.body.slice(0, 200)}`,
  )
  const me = await browser.get(`${origin}/me`)
  assert.equal(me.status, 200, me.body)
  const identity = JSON.parse(me.body) as Record<string, string>
  assert.equal(identity.username, USER.username)
  assert.match(identity.principalId!, /^005/)
})

test('the portal is served by the gateway at /portal', async () => {
  const res = await fetch(`${origin}/portal`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /text\/html/)
})
