import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { sha256 } from '../../../src/lib/digest.ts'
import type { OrgAnswer, OrgRecords } from '../../../src/portal/org-records.ts'
import { createPortal } from '../../../src/portal/portal.ts'
import type { PortalPartners } from '../../../src/portal/portal-deps.ts'
import { SESSION_ACCESS_TOKEN } from '../../../src/portal/session-route-auth.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'

const TOKEN = '00D5g000004FgAt!AQsecret-token-value'
const DEAL = {
  Id: '0065g00000Acme1AAB',
  Name: 'Acme',
  StageName: 'Prospecting',
  CloseDate: '2026-01-01',
  OwnerId: 'x',
}
const ok = (records: unknown[]): OrgAnswer => ({ status: 200, json: { records }, errorCode: undefined })

/** The org as the portal sees it: answers scripted per test, calls and bytes recorded. */
const org = {
  query: async (_token: string, _soql: string): Promise<OrgAnswer> => ok([]),
  attach: async (_token: string, _id: string, _bytes: Buffer): Promise<OrgAnswer> => ok([]),
  tokens: [] as string[],
  received: [] as number[],
}

const records: OrgRecords = {
  async query(token, soql) {
    org.tokens.push(token)
    return org.query(token, soql)
  },
  async attach(token, id, file) {
    org.tokens.push(token)
    const chunks: Buffer[] = []
    for await (const chunk of file.body) {
      chunks.push(chunk as Buffer)
      org.received.push((chunk as Buffer).length)
    }
    const bytes = Buffer.concat(chunks)
    return { answer: await org.attach(token, id, bytes), bytes: bytes.length }
  },
}

describe('Opportunities routes against a scripted org', () => {
  const sessions = new SqliteSessionStore({ path: ':memory:' })
  let server: Server
  let base = ''
  const cookie = 'forcegate-session=pat-cookie'

  before(async () => {
    const now = Date.now()
    await sessions.putSession({
      key: sha256('pat-cookie', 'base64url'),
      userId: '0055g00000AbCdEAAV',
      orgId: '00D5g000004FgAtEAK',
      username: 'pat@example.com',
      displayName: 'Pat',
      issuer: 'https://org.example.com',
      idToken: undefined,
      csrfToken: 'csrf-pat',
      createdAt: now,
      expiresAt: now + 3_600_000,
      lastSeenAt: now,
      data: { [SESSION_ACCESS_TOKEN]: TOKEN },
    })
    const portal = createPortal({
      org: { issuer: 'https://org.example.com', clientId: 'c', clientSecret: 's' },
      publicOrigin: 'http://127.0.0.1:8080',
      partners: { list: async () => [] } as unknown as PortalPartners,
      sessions,
      admins: [],
      gatewayUrl: 'http://127.0.0.1:9',
      opportunities: { records, maxBytes: 1_000_000, contentTypes: ['application/pdf'] },
    })
    server = createServer((req, res) => void portal.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await sessions.close()
  })
  beforeEach(() => {
    org.tokens.length = 0
    org.received.length = 0
  })

  const upload = (bytes: Buffer) => {
    const form = new FormData()
    form.append('csrf', 'csrf-pat')
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'deal.pdf')
    return fetch(`${base}/portal/opportunities/0065g00000Acme1/contracts`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
      body: form,
    })
  }

  it("calls the org with the session's own token and streams the file in pieces", async () => {
    org.query = async () => ok([DEAL])
    org.attach = async () => ({ status: 201, json: { id: '0685g00000Vers1AAA' }, errorCode: undefined })
    const bytes = Buffer.alloc(600_000, 3)
    const res = await upload(bytes)
    assert.equal(res.status, 303)
    assert.equal(
      res.headers.get('location'),
      '/portal/opportunities/0065g00000Acme1?attached=0685g00000Vers1AAA',
    )
    assert.deepEqual([...new Set(org.tokens)], [TOKEN])
    assert.equal(
      org.received.reduce((a, b) => a + b, 0),
      bytes.length,
    )
    assert.ok(org.received.length > 1, 'the file reached the org in several chunks')
    assert.ok(Math.max(...org.received) < 200_000, `largest chunk ${Math.max(...org.received)}`)
  })

  it('says it cannot tell when the org never answered the upload, instead of success or "nothing changed"', async () => {
    org.query = async () => ok([DEAL])
    org.attach = async () => {
      throw new GatewayError('GW_INTEGRATION_TIMEOUT', {
        reason: 'salesforce.timeout',
        detail: `token ${TOKEN}`,
      })
    }
    const res = await upload(Buffer.from('%PDF'))
    const body = await res.text()
    assert.equal(res.status, 504)
    assert.match(body, /cannot\s+tell whether the file was kept/)
    assert.doesNotMatch(body, /was attached to this Opportunity|Nothing was (attached|changed)/)
    assert.ok(!body.includes(TOKEN))
  })

  it('an unreachable org is a 503 page without the token; a refused token ends the session', async () => {
    org.query = async () => {
      throw new GatewayError('GW_UPSTREAM_UNREACHABLE', { reason: 'salesforce.unreachable', detail: TOKEN })
    }
    const down = await fetch(`${base}/portal/opportunities`, { headers: { cookie } })
    assert.equal(down.status, 503)
    assert.ok(!(await down.text()).includes(TOKEN))

    org.query = async () => ({
      status: 401,
      json: [{ errorCode: 'INVALID_SESSION_ID' }],
      errorCode: 'INVALID_SESSION_ID',
    })
    const refused = await fetch(`${base}/portal/opportunities`, { redirect: 'manual', headers: { cookie } })
    assert.equal(refused.status, 303)
    assert.equal(refused.headers.get('location'), '/portal/login?return_to=%2Fportal%2Fopportunities')
    assert.equal(await sessions.getSession(sha256('pat-cookie', 'base64url'), Date.now()), undefined)
  })
})
