import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { readBody } from '../../../src/http/read-body.ts'
import { createPartnersAdminApi } from '../../../src/partners/admin-api.ts'
import { DcrClient } from '../../../src/partners/dcr-client.ts'
import { PartnerService } from '../../../src/partners/partner-service.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

const TOKEN = 'admin-token-0123456789abcdef'
let org: DevOrg
let server: Server
let base: string
let store: SqlitePartnerStore

before(async () => {
  org = await startDevOrg({ port: 0 })
  store = new SqlitePartnerStore({ path: ':memory:', secretBox: new SecretBox(randomBytes(32)) })
  const service = new PartnerService({
    store,
    registrar: new DcrClient({ orgUrl: org.url, initialAccessToken: () => org.seed.initialAccessToken }),
    usagePlanNames: new Set(['gold']),
    contractApproval: 'manual',
  })
  const admin = createPartnersAdminApi({ service, adminToken: TOKEN, maxBodyBytes: 4096 })
  server = createServer(async (req, res) => {
    // The gateway reads the body with its capped reader before the handler runs.
    if (!(await admin(req, res, await readBody(req, 1_048_576)))) res.writeHead(418).end('not admin')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_forcegate/partners`
})
after(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await store.close()
  await org.close()
})

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  const res = await fetch(`${base}${path}`, init)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: text === '' ? undefined : JSON.parse(text) }
}

const registration = {
  name: 'Acme Portal',
  redirectUris: ['https://partner.example/cb'],
  contracts: [{ api: 'orders', scopes: ['api'], usagePlan: 'gold' }],
}

describe('partners admin API over HTTP', () => {
  it('answers 401 without a token and 403 with a wrong one, for every route', async () => {
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/x/suspend'],
      ['DELETE', '/x'],
    ] as const) {
      const none = await fetch(`${base}${path}`, { method })
      assert.equal(none.status, 401)
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/)
      assert.equal(((await none.json()) as { code: string }).code, 'ADMIN_UNAUTHORIZED')
      const wrong = await call(method, path, undefined, {
        authorization: 'Bearer admin-token-0123456789abcdeX',
      })
      assert.equal(wrong.status, 403)
      assert.equal(wrong.json.code, 'ADMIN_FORBIDDEN')
    }
    const basic = await call('GET', '', undefined, { authorization: `Basic ${TOKEN}` })
    assert.equal(basic.status, 401)
  })

  it('leaves other paths to the next handler', async () => {
    const res = await fetch(`${base.replace('/partners', '/partnersX')}`)
    assert.equal(res.status, 418)
  })

  it('registers, lists, shows, approves, suspends, resumes, rotates and deletes', async () => {
    const created = await call('POST', '', registration)
    assert.equal(created.status, 201, created.text)
    assert.equal(created.headers.get('cache-control'), 'no-store')
    const { clientId, clientSecret } = created.json.credentials as { clientId: string; clientSecret: string }
    assert.ok(clientSecret)
    assert.equal(created.json.partner.contracts[0].status, 'pending')

    const listed = await call('GET', '')
    assert.equal(listed.status, 200)
    assert.deepEqual(
      listed.json.partners.map((p: { clientId: string }) => p.clientId),
      [clientId],
    )
    const shown = await call('GET', `/${encodeURIComponent(clientId)}`)
    assert.equal(shown.status, 200)
    assert.equal(shown.json.partner.name, 'Acme Portal')
    for (const text of [listed.text, shown.text]) {
      assert.equal(text.includes(clientSecret), false, 'secrets are shown only once')
      assert.equal(text.includes('registrationAccessToken'), false)
    }

    const approved = await call('POST', `/${clientId}/contracts/orders/approve`)
    assert.equal(approved.json.partner.contracts[0].status, 'active')
    assert.equal((await call('POST', `/${clientId}/suspend`)).json.partner.status, 'suspended')
    assert.equal((await call('POST', `/${clientId}/resume`)).json.partner.status, 'active')

    const rotated = await call('POST', `/${clientId}/rotate`)
    assert.equal(rotated.status, 200, rotated.text)
    const newId = rotated.json.credentials.clientId as string
    assert.notEqual(newId, clientId)
    assert.equal(rotated.json.previousClientRemoved, true)
    assert.equal((await call('GET', `/${clientId}`)).status, 404)

    const deleted = await call('DELETE', `/${newId}`)
    assert.deepEqual(deleted.json, { clientId: newId, removedAtOrg: true })
    assert.deepEqual((await call('GET', '')).json.partners, [])
  })

  it('answers validation errors with a stable code and the field', async () => {
    const bad = await call('POST', '', {
      ...registration,
      contracts: [{ api: 'orders', usagePlan: 'platinum' }],
    })
    assert.equal(bad.status, 400)
    assert.deepEqual(bad.json, {
      code: 'PARTNER_INVALID_INPUT',
      message: 'contracts[0].usagePlan: unknown usage plan "platinum"; configured plans: gold',
      field: 'contracts[0].usagePlan',
    })
    const uri = await call('POST', '', { ...registration, redirectUris: ['http://partner.example/cb'] })
    assert.equal(uri.status, 400)
    assert.equal(uri.json.code, 'DCR_INVALID_REDIRECT_URI')
    assert.equal(uri.json.field, 'redirectUris')
    assert.equal((await call('POST', '', '{not json')).json.code, 'ADMIN_INVALID_JSON')
    const media = await call('POST', '', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })
    assert.equal(media.status, 415)
  })

  it('refuses control characters in redirect URIs before the org sees them', async () => {
    const before = (await call('GET', '')).json.partners.length
    for (const uri of ['https://partner.example/cb\u001b[2J', 'https://partner.example/cb\u009b31m']) {
      const bad = await call('POST', '', { ...registration, redirectUris: [uri] })
      assert.equal(bad.status, 400)
      assert.deepEqual(bad.json, {
        code: 'PARTNER_INVALID_INPUT',
        message: 'redirectUris[0]: must not contain control characters',
        field: 'redirectUris[0]',
      })
    }
    assert.equal((await call('GET', '')).json.partners.length, before)
  })

  it('approves a pending contract under a plan the admin picks, and refuses an unknown plan', async () => {
    const created = await call('POST', '', {
      ...registration,
      contracts: [{ api: 'orders', scopes: ['api'] }],
    })
    const id = created.json.credentials.clientId as string
    assert.equal(created.json.partner.contracts[0].status, 'pending')
    const unknown = await call('POST', `/${id}/contracts/orders/approve`, { usagePlan: 'platinum' })
    assert.equal(unknown.status, 400)
    assert.match(unknown.json.message, /unknown usage plan "platinum"; configured plans: gold/)
    const approved = await call('POST', `/${id}/contracts/orders/approve`, { usagePlan: 'gold' })
    assert.equal(approved.status, 200)
    assert.deepEqual(
      approved.json.partner.contracts.map((c: { status: string; usagePlan: string }) => [
        c.status,
        c.usagePlan,
      ]),
      [['active', 'gold']],
    )
    assert.equal((await call('DELETE', `/${id}`)).status, 200)
  })

  it('limits the body size', async () => {
    const big = await call('POST', '', { ...registration, name: 'x'.repeat(5000) })
    assert.equal(big.status, 413)
    assert.equal(big.json.code, 'ADMIN_BODY_TOO_LARGE')
  })

  it('answers 404 for unknown clients and paths, 405 with Allow for wrong methods', async () => {
    const missing = await call('GET', '/3MVG9nobody')
    assert.equal(missing.status, 404)
    assert.equal(missing.json.code, 'PARTNER_NOT_FOUND')
    assert.equal((await call('POST', '/x/explode')).json.code, 'ADMIN_NOT_FOUND')
    const wrong = await call('PUT', '/x')
    assert.equal(wrong.status, 405)
    assert.equal(wrong.headers.get('allow'), 'GET, DELETE')
  })

  it('answers 503 when the org is unavailable, and keeps the client on a failed delete', async () => {
    const created = await call('POST', '', registration)
    const id = created.json.credentials.clientId as string
    org.faults.unavailable = true
    try {
      const down = await call('DELETE', `/${id}`)
      assert.equal(down.status, 503)
      assert.equal(down.json.code, 'DCR_ORG_UNAVAILABLE')
    } finally {
      org.faults.unavailable = false
    }
    assert.equal((await call('GET', `/${id}`)).status, 200)
    assert.equal((await call('DELETE', `/${id}`)).status, 200)
  })
})
