import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sha256 } from '../../../src/lib/digest.ts'
import { PartnerError } from '../../../src/partners/partner-error.ts'
import type { PartnerView } from '../../../src/partners/partner-service.ts'
import { createPortal } from '../../../src/portal/portal.ts'
import type { PortalDeps, PortalPartners } from '../../../src/portal/portal-deps.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { type Listener, listen } from './portal-server.ts'

const USER = 'pat@example.com'
const ADMIN = 'boss@example.com'

function view(clientId: string, name: string, status: 'active' | 'pending', contact = USER): PartnerView {
  return {
    clientId,
    partnerId: contact,
    partnerStatus: 'active',
    name,
    redirectUris: ['https://partner.example.com/cb'],
    contact,
    grantedScopes: ['api'],
    status: 'active',
    registrationClientUri: `https://org.example.com/services/oauth2/register/${clientId}`,
    clientIdIssuedAt: 1,
    clientSecretExpiresAt: 0,
    rotatedFrom: undefined,
    createdAt: 1,
    updatedAt: 1,
    contracts: [
      { clientId, api: 'orders', scopes: ['api'], usagePlan: 'gold', status, createdAt: 1, updatedAt: 1 },
    ],
  }
}

/** Partners kept in memory, counting what the portal asked of them. */
function memoryPartners() {
  const apps: PartnerView[] = [view('existing1', 'Orders Sync', 'active')]
  const calls = { register: 0, rotate: 0, delete: [] as string[], approve: [] as string[] }
  const partners = {
    list: async () => apps,
    show: async (id: string) => {
      const found = apps.find((a) => a.clientId === id)
      if (found === undefined) throw new PartnerError('PARTNER_NOT_FOUND', 'no such client')
      return found
    },
    register: async (input: { name: string }) => {
      calls.register++
      const app = view(`new${calls.register}`, input.name, 'active')
      apps.push(app)
      return {
        partner: app,
        credentials: {
          clientId: app.clientId,
          clientSecret: `secret-${calls.register}-abcdefghij`,
          clientSecretExpiresAt: 0,
        },
      }
    },
    rotate: async (id: string) => {
      calls.rotate++
      const old = apps.find((a) => a.clientId === id)!
      const app = { ...old, clientId: `rotated${calls.rotate}`, rotatedFrom: id }
      apps.push(app)
      return {
        partner: app,
        credentials: {
          clientId: app.clientId,
          clientSecret: `rotated-secret-${calls.rotate}`,
          clientSecretExpiresAt: 0,
        },
        previousClientId: id,
        previousClientRemoved: true,
      }
    },
    delete: async (id: string) => {
      calls.delete.push(id)
      apps.splice(
        apps.findIndex((a) => a.clientId === id),
        1,
      )
      return { clientId: id, removedAtOrg: true }
    },
    approveContract: async (id: string, api: string, plan?: string) => {
      calls.approve.push(`${id} ${api} ${plan}`)
      return apps.find((a) => a.clientId === id)!
    },
  } as unknown as PortalPartners
  return { apps, calls, partners }
}

describe('portal forms: post/redirect/get, confirmations, unique names, sticky values', () => {
  const sessions = new SqliteSessionStore({ path: ':memory:' })
  const memory = memoryPartners()
  let server: Listener
  let gateway: Listener
  const seen: { method: string; url: string; body: string; type: string | undefined }[] = []
  const cookie = 'forcegate-session=user-cookie'
  const adminCookie = 'forcegate-session=admin-cookie'
  let origin = ''

  before(async () => {
    gateway = await listen((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString()
      })
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body, type: req.headers['content-type'] })
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no order 42","id":42}')
      })
    })
    const now = Date.now()
    for (const [value, username] of [
      ['user-cookie', USER],
      ['admin-cookie', ADMIN],
    ] as const) {
      await sessions.putSession({
        key: sha256(value, 'base64url'),
        userId: '0055g00000AbCdEAAV',
        orgId: '00D5g000004FgAtEAK',
        username,
        displayName: username,
        issuer: 'https://org.example.com',
        idToken: undefined,
        csrfToken: `csrf-${value}`,
        createdAt: now,
        expiresAt: now + 3_600_000,
        lastSeenAt: now,
        data: { tryClientId: 'existing1', tryToken: 'the-access-token', tryUntil: String(now + 3_600_000) },
      })
    }
    let portal: ReturnType<typeof createPortal> | undefined
    server = await listen((req, res) => {
      void portal?.handle(req, res).then((served) => {
        if (!served) res.writeHead(599).end()
      })
    })
    origin = server.url
    const deps: PortalDeps = {
      org: { issuer: 'https://org.example.com', clientId: 'c', clientSecret: 's' },
      publicOrigin: origin,
      partners: memory.partners,
      sessions,
      admins: [ADMIN],
      gatewayUrl: gateway.url,
      apis: [{ name: 'orders', title: 'Orders', scopes: ['api'], tryPath: '/orders', plan: 'gold' }],
      usagePlans: new Map([
        ['gold', { name: 'gold' }],
        ['silver', { name: 'silver' }],
      ]) as unknown as NonNullable<PortalDeps['usagePlans']>,
      routes: [
        { method: 'GET', path: '/orders/{id}' },
        { method: 'POST', path: '/orders' },
        { method: 'OPTIONS', path: '/orders' },
      ],
      explain: async () => ({
        steps: [
          { step: 'route', detail: { matched: true, routeKey: 'POST /orders' } },
          { step: 'authorize', detail: { decision: 'allow', contract: 'orders' } },
        ],
        status: 200,
        outcome: 'allowed: the request would reach aws_proxy',
      }),
    }
    portal = createPortal(deps)
  })
  after(async () => {
    await server.close()
    await gateway.close()
    await sessions.close()
  })

  const get = (path: string, c = cookie) =>
    fetch(`${origin}${path}`, { redirect: 'manual', headers: { cookie: c } })
  const post = (path: string, form: Record<string, string | string[]>, c = cookie) => {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one)
    return fetch(`${origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: c, origin, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
  }
  const csrf = 'csrf-user-cookie'

  it('ticks the only API offered on a new registration form', async () => {
    const page = await (await get('/portal/apps/new')).text()
    assert.match(page, /<input type="checkbox" name="api" value="orders" checked>/)
  })

  it('registers once: the post redirects, the secret shows on one GET, a reload registers nothing', async () => {
    const form = {
      csrf,
      name: 'Fresh App',
      redirectUris: 'https://partner.example.com/cb',
      api: 'orders',
      scopes: 'api',
    }
    const answer = await post('/portal/apps', form)
    assert.equal(answer.status, 303)
    assert.equal(answer.headers.get('location'), '/portal/apps/new1/secret')
    const shown = await get('/portal/apps/new1/secret')
    assert.equal(shown.status, 200)
    const page = await shown.text()
    assert.match(page, /App registered: Fresh App/)
    assert.match(page, /secret-1-abcdefghij/)
    const reload = await get('/portal/apps/new1/secret')
    assert.equal(reload.status, 303)
    assert.equal(reload.headers.get('location'), '/portal/apps/new1?secret=shown')
    const app = await (await get('/portal/apps/new1?secret=shown')).text()
    assert.doesNotMatch(app, /secret-1-abcdefghij/)
    assert.match(app, /shown once and is not kept/)
    assert.equal(memory.calls.register, 1)
  })

  it('rotates once: the new secret shows on one GET after the redirect, a reload rotates nothing', async () => {
    const answer = await post('/portal/apps/new1/rotate', { csrf })
    assert.equal(answer.status, 303)
    assert.equal(answer.headers.get('location'), '/portal/apps/rotated1/secret')
    const page = await (await get('/portal/apps/rotated1/secret')).text()
    assert.match(page, /Secret rotated/)
    assert.match(page, /rotated-secret-1/)
    assert.match(page, /previous client <code>new1<\/code> was removed at the org/)
    assert.equal((await get('/portal/apps/rotated1/secret')).status, 303)
    assert.equal(memory.calls.rotate, 1)
  })

  it('refuses a second app of the same name (any case) and keeps what was entered', async () => {
    const form = {
      csrf,
      name: 'orders sync',
      redirectUris: 'https://a.example.com/cb',
      api: 'orders',
      scopes: 'api read',
      tryIt: '1',
    }
    const answer = await post('/portal/apps', form)
    assert.equal(answer.status, 409)
    const page = await answer.text()
    assert.match(page, /You already have an app named &quot;orders sync&quot;/)
    assert.match(page, /value="orders sync"/)
    assert.match(page, /https:\/\/a\.example\.com\/cb<\/textarea>/)
    assert.match(page, /value="orders" checked/)
    assert.match(page, /value="api read"/)
    assert.match(page, /name="tryIt" value="1" checked/)
    assert.equal(memory.calls.register, 1)
  })

  it('asks before deleting; only the confirmed post deletes', async () => {
    const app = await (await get('/portal/apps/existing1')).text()
    assert.match(app, /href="\/portal\/apps\/existing1\/delete"/)
    const ask = await get('/portal/apps/existing1/delete')
    assert.equal(ask.status, 200)
    const page = await ask.text()
    assert.match(page, /Delete Orders Sync\?/)
    assert.match(page, /name="confirm" value="existing1"/)
    const unconfirmed = await post('/portal/apps/existing1/delete', { csrf })
    assert.equal(unconfirmed.status, 400)
    assert.match(await unconfirmed.text(), /This cannot be undone/)
    assert.deepEqual(memory.calls.delete, [])
    const confirmed = await post('/portal/apps/new1/delete', { csrf, confirm: 'new1' })
    assert.equal(confirmed.status, 303)
    assert.deepEqual(memory.calls.delete, ['new1'])
  })

  it("shows an action for every contract on the admin page, and changing an active contract's plan works", async () => {
    memory.apps.push(view('pending1', 'Waiting App', 'pending', 'sam@example.com'))
    const page = await (await get('/portal/admin', adminCookie)).text()
    assert.match(page, /Approve orders/)
    assert.match(page, /Change the plan of orders/)
    const answer = await post(
      '/portal/admin/partners/existing1/approve',
      { csrf: 'csrf-admin-cookie', api: 'orders', plan: 'silver' },
      adminCookie,
    )
    assert.equal(answer.status, 303)
    assert.match(
      decodeURIComponent(answer.headers.get('location')!),
      /The plan of orders for Orders Sync is now silver/,
    )
    assert.deepEqual(memory.calls.approve, ['existing1 orders silver'])
  })

  it('lists the routes of the API in "try it", each filling in method and path', async () => {
    const page = await (await get('/portal/try?app=existing1&method=POST&path=%2Forders')).text()
    assert.match(page, /href="\/portal\/try\?app=existing1&amp;method=GET&amp;path=%2Forders%2F%7Bid%7D"/)
    assert.match(page, /<span class="method">POST<\/span> <code>\/orders<\/code>/)
    assert.doesNotMatch(page, /OPTIONS/)
    assert.match(page, /<option value="POST" selected>POST<\/option>/)
    assert.match(page, /<textarea id="body" name="body"/)
  })

  it('sends a POST with its JSON body; shows the answer pretty-printed and the trail with the real status', async () => {
    const answer = await post('/portal/try/call', {
      csrf,
      app: 'existing1',
      method: 'POST',
      path: '/orders',
      body: '{"item":"book","qty":1}',
    })
    assert.equal(answer.status, 200)
    const last = seen.at(-1)!
    assert.deepEqual(last, {
      method: 'POST',
      url: '/orders',
      body: '{"item":"book","qty":1}',
      type: 'application/json',
    })
    const page = await answer.text()
    assert.match(
      page,
      /HTTP 404[\s\S]*\{\n {2}&quot;message&quot;: &quot;no order 42&quot;,\n {2}&quot;id&quot;: 42\n\}/,
    )
    assert.match(page, /<table class="trail"/)
    assert.match(page, /data-testid="try-trail-status">404</)
    assert.match(page, /allowed by the gateway: aws_proxy answered 404/)
    assert.doesNotMatch(page, /would reach/)
  })

  it('sends no body with GET, whatever the form brings', async () => {
    await post('/portal/try/call', {
      csrf,
      app: 'existing1',
      method: 'GET',
      path: '/orders/7',
      body: '{"x":1}',
    })
    const last = seen.at(-1)!
    assert.deepEqual(last, { method: 'GET', url: '/orders/7', body: '', type: undefined })
  })
})
