import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { sha256 } from '../../../src/lib/digest.ts'
import { PartnerError } from '../../../src/partners/partner-error.ts'
import type { PartnerView } from '../../../src/partners/partner-service.ts'
import { createPortal } from '../../../src/portal/portal.ts'
import type { PortalPartners } from '../../../src/portal/portal-deps.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'

const app = (clientId: string, contact: string, name: string): PartnerView => ({
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
    {
      clientId,
      api: 'orders',
      scopes: ['api'],
      usagePlan: undefined,
      status: 'pending',
      createdAt: 1,
      updatedAt: 1,
    },
  ],
})

const APPS = [
  app('mine1', 'pat@example.com', '<img src=x onerror=alert(1)>'),
  app('theirs1', 'someone@example.com', 'Other'),
]

const partners = {
  list: async () => APPS,
  show: async (id: string) => {
    const found = APPS.find((a) => a.clientId === id)
    if (found === undefined) throw new PartnerError('PARTNER_NOT_FOUND', 'no such client')
    return found
  },
} as unknown as PortalPartners

describe('portal routes (no org needed)', () => {
  const sessions = new SqliteSessionStore({ path: ':memory:' })
  let server: Server
  let base = ''
  const cookie = 'forcegate-session=user-cookie'
  const adminCookie = 'forcegate-session=admin-cookie'

  before(async () => {
    const now = Date.now()
    for (const [value, username] of [
      ['user-cookie', 'pat@example.com'],
      ['admin-cookie', 'boss@example.com'],
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
        data: {},
      })
    }
    const portal = createPortal({
      org: { issuer: 'https://org.example.com', clientId: 'c', clientSecret: 's' },
      publicOrigin: 'http://127.0.0.1:8080',
      partners,
      sessions,
      admins: ['Boss@Example.com'],
      gatewayUrl: 'http://127.0.0.1:9',
    })
    server = createServer((req, res) => {
      void portal.handle(req, res).then((served) => {
        if (!served) res.writeHead(599).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await sessions.close()
  })

  const get = (path: string, c?: string) =>
    fetch(`${base}${path}`, { redirect: 'manual', headers: c === undefined ? {} : { cookie: c } })

  it('serves only /portal paths', async () => {
    assert.equal((await get('/orders')).status, 599)
    assert.equal((await get('/portalx')).status, 599)
    assert.equal((await get('/portal/nope')).status, 404)
  })

  it('refuses a form over 16 KiB with 413, whatever the session', async () => {
    const res = await fetch(`${base}/portal/apps`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://127.0.0.1:8080',
      },
      body: `name=${'x'.repeat(20_000)}`,
    })
    assert.equal(res.status, 413)
    await res.arrayBuffer()
  })

  it('sends protective headers on every page', async () => {
    const res = await get('/portal/')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.equal(res.headers.get('x-frame-options'), 'DENY')
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/)
    assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/)
    assert.match(
      res.headers.get('content-security-policy')!,
      /form-action 'self' https:\/\/org\.example\.com/,
    )
    const css = await get('/portal/static/portal.css')
    assert.match(css.headers.get('content-type')!, /text\/css/)
  })

  it('sends a page request without a session to sign-in, and back afterwards', async () => {
    const res = await get('/portal/apps/mine1?tab=1')
    assert.equal(res.status, 303)
    assert.equal(res.headers.get('location'), '/portal/login?return_to=%2Fportal%2Fapps%2Fmine1%3Ftab%3D1')
  })

  it('lists only my apps, with names escaped', async () => {
    const html = await (await get('/portal/apps', cookie)).text()
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/)
    assert.doesNotMatch(html, /<img src=x/)
    assert.doesNotMatch(html, /theirs1/)
  })

  it("answers 404 for another user's app", async () => {
    assert.equal((await get('/portal/apps/theirs1', cookie)).status, 404)
    assert.equal((await get('/portal/apps/unknown', cookie)).status, 404)
  })

  it('keeps the admin page to admins (usernames compared without case)', async () => {
    assert.equal((await get('/portal/admin', cookie)).status, 403)
    const res = await get('/portal/admin', adminCookie)
    assert.equal(res.status, 200)
    assert.match(await res.text(), /Approve orders/)
  })

  it('refuses forms without the token, with a foreign token, or from another origin', async () => {
    const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${base}/portal/admin/partners/mine1/suspend`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: adminCookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form),
      })
    assert.equal((await post({})).status, 403)
    assert.equal((await post({ csrf: 'csrf-user-cookie' })).status, 403)
    assert.equal(
      (await post({ csrf: 'csrf-admin-cookie' }, { origin: 'https://evil.example.com' })).status,
      403,
    )
  })

  it('answers 405 to a GET of logout and 401 to a form after the session ended', async () => {
    assert.equal((await get('/portal/logout', cookie)).status, 405)
    const res = await fetch(`${base}/portal/apps`, {
      method: 'POST',
      headers: { cookie: 'forcegate-session=gone', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=x',
    })
    assert.equal(res.status, 401)
    assert.match(await res.text(), /Your session has ended/)
  })
})
