import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { sha256 } from '../../../src/lib/digest.ts'
import type { RegisteredClient, RegistrationRequest } from '../../../src/partners/dcr-client.ts'
import { PartnerService } from '../../../src/partners/partner-service.ts'
import { createPortal } from '../../../src/portal/portal.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

const ORIGIN = 'http://127.0.0.1:8080'

/** Stands in for the org's registration endpoint: every registration gets a fresh client. */
function fakeOrg() {
  const registered: RegistrationRequest[] = []
  let n = 0
  return {
    registered,
    registrar: {
      async register(request: RegistrationRequest): Promise<RegisteredClient> {
        registered.push(request)
        n++
        return {
          clientId: `3MVG9client${n}`,
          clientSecret: `secret-${n}`,
          registrationAccessToken: `rat-${n}`,
          registrationClientUri: `https://org.example.com/services/oauth2/register/3MVG9client${n}`,
          clientIdIssuedAt: 1,
          clientSecretExpiresAt: 0,
          redirectUris: request.redirectUris,
          grantedScopes: request.scopes,
        }
      },
      async delete() {},
    },
  }
}

/**
 * Self-registration through the portal, as a signed-in user would send it (or forge it): only
 * the APIs of `portal.apis`, only their scopes, the configured plan or pending, and nothing at
 * all for a suspended partner.
 */
describe('portal self-registration', () => {
  const sessions = new SqliteSessionStore({ path: ':memory:' })
  const store = new SqlitePartnerStore({ path: ':memory:', secretBox: new SecretBox(randomBytes(32)) })
  const org = fakeOrg()
  const partners = new PartnerService({
    store,
    registrar: org.registrar,
    usagePlanNames: new Set(['trial', 'gold']),
  })
  let server: Server
  let base = ''
  const cookie = 'forcegate-session=pat-cookie'

  before(async () => {
    const now = Date.now()
    await sessions.putSession({
      key: sha256('pat-cookie', 'base64url'),
      userId: '0055g00000AbCdEAAV',
      orgId: '00D5g000004FgAtEAK',
      username: 'pat@partner.example.com',
      displayName: 'Pat',
      issuer: 'https://org.example.com',
      idToken: undefined,
      csrfToken: 'csrf-pat',
      createdAt: now,
      expiresAt: now + 3_600_000,
      lastSeenAt: now,
      data: {},
    })
    const portal = createPortal({
      org: { issuer: 'https://org.example.com', clientId: 'c', clientSecret: 's' },
      publicOrigin: ORIGIN,
      partners,
      sessions,
      admins: [],
      gatewayUrl: 'http://127.0.0.1:9',
      apis: [
        { name: 'order-status', title: 'Order Status', scopes: ['api'], plan: 'trial' },
        { name: 'reports', title: 'Reports', scopes: ['api', 'id'] },
      ],
    })
    server = createServer((req, res) => void portal.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await sessions.close()
    await store.close()
  })

  const post = (path: string, form: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=csrf-pat&${form}`,
    })
  const register = (form: string) =>
    post('/portal/apps', `name=Pat+App&redirectUris=https%3A%2F%2Fpat.example.com%2Fcb&${form}`)

  it('refuses an API outside portal.apis with a 400 page naming it, and registers nothing', async () => {
    const res = await register('api=order-status&api=internal-billing&scopes=api+full+refresh_token')
    assert.equal(res.status, 400)
    assert.match(await res.text(), /the API &quot;internal-billing&quot; is not offered here/)
    assert.equal(org.registered.length, 0)
    assert.deepEqual(await partners.list(), [])
  })

  it('refuses scopes the chosen APIs do not offer', async () => {
    const res = await register('api=order-status&scopes=api+full+refresh_token')
    assert.equal(res.status, 400)
    assert.match(await res.text(), /the scope &quot;full&quot; is not offered for order-status/)
    assert.equal(org.registered.length, 0)
  })

  it('starts contracts with the configured plan, or pending without one; scopes per API', async () => {
    const res = await register('api=order-status&api=reports&scopes=api+id')
    assert.equal(res.status, 303, await res.clone().text())
    const [app] = await partners.list()
    assert.equal(app?.partnerId, 'pat@partner.example.com')
    assert.deepEqual(
      app?.contracts.map((c) => [c.api, c.scopes, c.usagePlan, c.status]),
      [
        ['order-status', ['api'], 'trial', 'active'],
        ['reports', ['api', 'id'], undefined, 'pending'],
      ],
    )
    assert.deepEqual(org.registered.at(-1)?.scopes, ['api', 'id'])
  })

  it('gives a suspended partner no new app and no new credentials', async () => {
    const [app] = await partners.list()
    await partners.suspend(app!.clientId)
    const before = org.registered.length

    const again = await register('api=order-status')
    assert.equal(again.status, 403)
    assert.match(await again.text(), /partner account is suspended/)
    const rotate = await post(`/portal/apps/${app!.clientId}/rotate`, '')
    assert.equal(rotate.status, 403)
    assert.equal(org.registered.length, before, 'the org was not asked for a client')
    assert.equal((await partners.list()).length, 1)
    assert.equal((await partners.contractFor(app!.clientId, 'order-status')).status, 'suspended')
  })
})
