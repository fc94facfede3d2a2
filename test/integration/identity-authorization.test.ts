import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { explainRequest } from '../../src/pipeline/explain.ts'
import { WHOAMI_HANDLER } from '../helpers/devorg-gateway-config.ts'
import { lambdaOp } from '../helpers/temp-api.ts'
import { testClock } from '../helpers/test-clock.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const JANE = { username: 'jane@forcegate.example.com', password: 'Jane-Developer-1' }
const MODERATOR = { username: 'moderator@forcegate.example.com', password: 'Blog-Moderator-1' }
const NEWHIRE = { username: 'newhire@forcegate.example.com', password: 'New-Employee-1' }
const PARTNER = { username: 'reseller@partner.example.com', password: 'Partner-User-1' }
const PAT = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

/**
 * Forwards every request to the dev org and counts what the gateway asks: the org as the
 * gateway sees it, so that cache hits and the sources asked are visible. `refuseQueries`
 * answers SOQL as an org does to a user without "View Setup and Configuration".
 */
async function countingOrg(org: DevOrg) {
  const seen: string[] = []
  const state = { refuseQueries: false }
  const server: Server = createServer(async (req, res) => {
    const path = req.url ?? '/'
    seen.push(
      path.startsWith('/id/') ? 'identity_url' : path.includes('/query') ? 'rest_query' : path.split('?')[0]!,
    )
    if (state.refuseQueries && path.includes('/query')) {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify([
          { message: "sObject type 'PermissionSetAssignment' is not supported.", errorCode: 'INVALID_TYPE' },
        ]),
      )
      return
    }
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers: Record<string, string> = {}
    for (const name of ['authorization', 'content-type', 'accept']) {
      const v = req.headers[name]
      if (typeof v === 'string') headers[name] = v
    }
    const answer = await fetch(`${org.url}${path}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    })
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' })
    res.end(Buffer.from(await answer.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    state,
    count: (source: string) => seen.filter((s) => s === source).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const scheme = (require: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'oauth2',
  flows: { clientCredentials: { tokenUrl: 'http://127.0.0.1/token', scopes: { api: 'API access' } } },
  'x-forcegate-salesforce': { org: 'devorg', contract: 'none', require, ...extra },
})

const ROUTES = {
  employees: { userType: ['STANDARD'] },
  profile: { profile: ['Standard User'] },
  moderation: { permissionSets: { anyOf: ['Blog_Moderator'] } },
  authorsAndModerators: { permissionSets: { allOf: ['Blog_Author', 'Blog_Moderator'] } },
  editorial: { permissionSetGroups: ['Editorial_Team'] },
  publishing: { customPermissions: { allOf: ['Publish_Blog_Posts'] } },
  engineering: { customAttributes: { Department: ['Engineering'] } },
} as const

describe('authorize by who the user is in Salesforce: bearer tokens against the dev org over HTTP', () => {
  let org: DevOrg
  let proxy: Awaited<ReturnType<typeof countingOrg>>
  let gw: TestGateway
  const clock = testClock()

  before(async () => {
    org = await startDevOrg({ port: 0 })
    proxy = await countingOrg(org)
    const paths: Record<string, unknown> = {}
    const schemes: Record<string, unknown> = {}
    for (const [name, require] of Object.entries(ROUTES)) {
      paths[`/${name}`] = { get: { ...lambdaOp('whoami'), security: [{ [name]: ['api'] }] } }
      schemes[name] = scheme(require, { cacheTtlSeconds: 60 })
    }
    const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)!
    process.env.TEST_IDENTITY_SF_SECRET = gatewayApp.clientSecret
    gw = await startTestGateway(
      openapi(paths, { components: { securitySchemes: schemes } }),
      { 'whoami.mjs': WHOAMI_HANDLER },
      [
        'salesforce:',
        '  orgs:',
        '    devorg:',
        `      issuer: ${proxy.url}`,
        `      orgId: ${org.orgId}`,
        '      introspection:',
        `        clientId: ${gatewayApp.clientId}`,
        '        clientSecret: { env: TEST_IDENTITY_SF_SECRET }',
        '',
      ].join('\n'),
      { clock: clock.now },
    )
  })
  after(async () => {
    await gw?.close()
    await proxy?.close()
    await org?.close()
  })

  async function token(
    user: { username: string; password: string },
    appName = 'Employee Blog',
  ): Promise<string> {
    const app = org.seed.connectedApps.find((a) => a.name === appName)!
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        ...user,
      }),
    })
    assert.equal(res.status, 200, await res.clone().text())
    return ((await res.json()) as { access_token: string }).access_token
  }

  const call = (path: string, t: string) =>
    fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${t}` } })
  const explain = (path: string, t: string) =>
    explainRequest(
      gw.gateway.table,
      { method: 'GET', target: path, headers: [['Authorization', `Bearer ${t}`]] },
      clock.now,
    )

  async function expectDenied(path: string, t: string, missing: RegExp) {
    const res = await call(path, t)
    assert.equal(res.status, 403, await res.clone().text())
    assert.deepEqual(await res.json(), { message: 'Forbidden' })
    const trail = await explain(path, t)
    assert.equal(trail.status, 403)
    const step = trail.steps.find((s) => s.step === 'identity')?.detail
    assert.ok(step, JSON.stringify(trail.steps))
    assert.equal(step.outcome, 'deny')
    assert.match(String(step.missing), missing)
    assert.equal(JSON.stringify(trail).includes(t), false, 'the trail never holds the token')
    return step
  }

  test('user type: an employee is let through, a partner user is refused, as the identity URL reports', async () => {
    const res = await call('/employees', await token(JANE))
    assert.equal(res.status, 200, await res.clone().text())
    const step = await expectDenied(
      '/employees',
      await token(PARTNER),
      /^userType: POWER_PARTNER is not STANDARD$/,
    )
    assert.deepEqual((step.facts as Record<string, unknown>).userType, {
      value: 'POWER_PARTNER',
      source: 'identity_url',
    })
  })

  test('profile: read from the profile permission set of the user assignments', async () => {
    assert.equal((await call('/profile', await token(JANE))).status, 200)
    const step = await expectDenied(
      '/profile',
      await token(PARTNER),
      /^profile: Partner Community User is not Standard User$/,
    )
    assert.deepEqual((step.facts as Record<string, unknown>).profile, {
      value: 'Partner Community User',
      source: 'rest_query',
    })
  })

  test('permission sets: anyOf and allOf; the trail names the missing set', async () => {
    assert.equal((await call('/moderation', await token(MODERATOR))).status, 200)
    assert.equal((await call('/authorsAndModerators', await token(MODERATOR))).status, 200)
    await expectDenied('/moderation', await token(NEWHIRE), /^permissionSets: Blog_Moderator$/)
    await expectDenied('/authorsAndModerators', await token(JANE), /^permissionSets: Blog_Moderator$/)
  })

  test('permission-set groups', async () => {
    assert.equal((await call('/editorial', await token(MODERATOR))).status, 200)
    await expectDenied('/editorial', await token(JANE), /^permissionSetGroups: Editorial_Team$/)
  })

  test('custom permissions: granted through a permission set; a false one is not held', async () => {
    assert.equal((await call('/publishing', await token(JANE))).status, 200)
    await expectDenied('/publishing', await token(NEWHIRE), /^customPermissions: Publish_Blog_Posts$/)
  })

  test('custom attributes of the connected app', async () => {
    assert.equal((await call('/engineering', await token(JANE))).status, 200)
    const step = await expectDenied(
      '/engineering',
      await token(MODERATOR),
      /^customAttributes: Department is not Engineering$/,
    )
    const attrs = (step.facts as Record<string, { value: Record<string, string>; source: string }>)
      .customAttributes!
    assert.equal(attrs.source, 'identity_url')
    assert.equal(attrs.value.Department, 'Communications')
  })

  test('a claim the app does not include never matches: custom permissions, custom attributes', async () => {
    // The Order Portal app reports neither custom permissions nor custom attributes.
    const t = await token(PAT, 'Order Portal')
    await expectDenied('/publishing', t, /^customPermissions \(not reported\)$/)
    await expectDenied('/engineering', t, /^customAttributes \(not reported\)$/)
  })

  test('assignments the user may not query never match: profile, permission sets, groups', async () => {
    proxy.state.refuseQueries = true
    try {
      const t = await token(MODERATOR)
      await expectDenied('/profile', t, /^profile \(not reported\)$/)
      await expectDenied('/moderation', t, /^permissionSets \(not reported\)$/)
      await expectDenied('/editorial', t, /^permissionSetGroups \(not reported\)$/)
    } finally {
      proxy.state.refuseQueries = false
    }
  })

  test('facts are cached with the identity: one identity URL call and one query per token until the TTL', async () => {
    const t = await token(MODERATOR)
    const before = { id: proxy.count('identity_url'), q: proxy.count('rest_query') }
    for (let i = 0; i < 3; i++) {
      assert.equal((await call('/moderation', t)).status, 200)
      assert.equal((await call('/employees', t)).status, 200)
    }
    // Only what a route reads is asked: the query for permission sets, the identity URL for the user type.
    assert.equal(proxy.count('rest_query') - before.q, 1)
    assert.equal(proxy.count('identity_url') - before.id, 1)
    clock.advance(61_000)
    assert.equal((await call('/moderation', t)).status, 200)
    assert.equal(proxy.count('rest_query') - before.q, 2, 'asked again once the 60 s TTL passed')
  })
})
