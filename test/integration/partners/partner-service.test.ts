import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { usageKeyOf } from '../../../src/partners/contract-cache.ts'
import { DcrClient } from '../../../src/partners/dcr-client.ts'
import { DcrError } from '../../../src/partners/dcr-error.ts'
import { PartnerError } from '../../../src/partners/partner-error.ts'
import { PartnerService } from '../../../src/partners/partner-service.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

let org: DevOrg
let dcr: DcrClient
const dir = mkdtempSync(join(tmpdir(), 'fg-partners-'))
const key = randomBytes(32)

before(async () => {
  org = await startDevOrg({ port: 0 })
  dcr = new DcrClient({ orgUrl: org.url, initialAccessToken: () => org.seed.initialAccessToken })
})
after(async () => {
  await org.close()
  rmSync(dir, { recursive: true, force: true })
})

function open(path = ':memory:', options: { manual?: boolean } = {}) {
  const store = new SqlitePartnerStore({ path, secretBox: new SecretBox(key) })
  const service = new PartnerService({
    store,
    registrar: dcr,
    usagePlanNames: new Set(['gold', 'silver']),
    contractApproval: options.manual === true ? 'manual' : 'auto',
  })
  return { store, service }
}

const input = {
  name: 'Acme Orders Portal',
  redirectUris: ['https://partner.example/cb'],
  contracts: [{ api: 'orders', scopes: ['api', 'refresh_token'], usagePlan: 'gold' }],
  contact: 'ops@partner.example',
}

async function orgKnows(
  service: PartnerService,
  store: SqlitePartnerStore,
  clientId: string,
): Promise<boolean> {
  const client = await service.show(clientId)
  const secrets = await store.getSecrets(clientId)
  try {
    await dcr.read(client.registrationClientUri, secrets!.registrationAccessToken)
    return true
  } catch (e) {
    if (e instanceof DcrError && e.code === 'DCR_UNAUTHORIZED') return false
    throw e
  }
}

describe('PartnerService with the dev org', () => {
  it('registers at the org, stores the client and contracts, and shows the secret only once', async () => {
    const { store, service } = open()
    const result = await service.register(input)
    assert.match(result.credentials.clientId, /^3MVG9/)
    assert.ok(result.credentials.clientSecret)
    assert.equal(result.partner.status, 'active')
    assert.deepEqual(
      result.partner.contracts.map((c) => [c.api, c.status, c.usagePlan]),
      [['orders', 'active', 'gold']],
    )
    const shown = await service.show(result.credentials.clientId)
    const listed = await service.list()
    for (const view of [shown, ...listed]) {
      assert.equal(JSON.stringify(view).includes(result.credentials.clientSecret!), false)
      assert.equal('clientSecret' in view, false)
    }
    assert.equal(await orgKnows(service, store, result.credentials.clientId), true)
    assert.deepEqual(
      (await store.listEvents(result.credentials.clientId)).map((e) => e.kind),
      ['registered'],
    )
    await store.close()
  })

  it('answers contractFor from the contract, the client status and approvals, and follows changes', async () => {
    const { store, service } = open(':memory:', { manual: true })
    const { credentials } = await service.register({
      ...input,
      contracts: [...input.contracts, { api: 'billing', scopes: ['api'], usagePlan: 'silver' }],
    })
    const id = credentials.clientId
    assert.deepEqual(await service.contractFor(id, 'orders'), {
      status: 'pending',
      scopes: ['api', 'refresh_token'],
      usagePlan: 'gold',
      usageKey: usageKeyOf('Acme Orders Portal', 'orders'),
    })
    await service.approveContract(id, 'orders')
    assert.equal((await service.contractFor(id, 'orders')).status, 'active')
    assert.equal((await service.contractFor(id, 'billing')).status, 'pending')
    assert.deepEqual(await service.contractFor(id, 'unknown-api'), {
      status: 'none',
      scopes: [],
      usagePlan: undefined,
      usageKey: undefined,
    })
    assert.equal((await service.contractFor('3MVG9nobody', 'orders')).status, 'none')
    await service.suspend(id)
    assert.equal((await service.contractFor(id, 'orders')).status, 'suspended')
    await service.resume(id)
    assert.equal((await service.contractFor(id, 'orders')).status, 'active')
    await assert.rejects(
      service.approveContract(id, 'nope'),
      (e: unknown) => e instanceof PartnerError && e.code === 'PARTNER_CONTRACT_NOT_FOUND',
    )
    await store.close()
  })

  it('validates input and names the field, before calling the org', async () => {
    const { store, service } = open()
    const cases: [unknown, string][] = [
      [{ ...input, name: '' }, 'name'],
      [{ ...input, contracts: [] }, 'contracts'],
      [
        { ...input, contracts: [{ api: 'orders', scopes: ['api'], usagePlan: 'platinum' }] },
        'contracts[0].usagePlan',
      ],
      [{ ...input, contracts: [{ api: 'bad api', scopes: [] }] }, 'contracts[0].api'],
      [{ ...input, contracts: [{ api: 'a', scopes: ['two words'] }] }, 'contracts[0].scopes[0]'],
      [{ ...input, contact: 'not-an-email' }, 'contact'],
      [{ ...input, redirectUris: 'https://x.example' }, 'redirectUris'],
    ]
    for (const [bad, field] of cases) {
      await assert.rejects(
        service.register(bad as typeof input),
        (e: unknown) => e instanceof PartnerError && e.code === 'PARTNER_INVALID_INPUT' && e.field === field,
        field,
      )
    }
    assert.deepEqual(await service.list(), [])
    await store.close()
  })

  it('rotates by re-registering: new id and secret, same contracts, old client gone at the org', async () => {
    const { store, service } = open()
    const first = await service.register(input)
    const oldId = first.credentials.clientId
    const oldView = await service.show(oldId)
    const oldToken = (await store.getSecrets(oldId))!.registrationAccessToken
    await service.suspend(oldId)
    await assert.rejects(
      service.rotate(oldId),
      (e: unknown) => e instanceof PartnerError && e.code === 'PARTNER_SUSPENDED',
      'a suspended partner gets no new credentials',
    )
    await service.resume(oldId)
    const rotated = await service.rotate(oldId)
    assert.notEqual(rotated.credentials.clientId, oldId)
    assert.notEqual(rotated.credentials.clientSecret, first.credentials.clientSecret)
    assert.equal(rotated.previousClientId, oldId)
    assert.equal(rotated.previousClientRemoved, true)
    assert.equal(rotated.partner.rotatedFrom, oldId)
    assert.equal(rotated.partner.status, 'active')
    assert.equal(rotated.partner.partnerId, oldView.partnerId, 'the partner carries over')
    assert.deepEqual(
      rotated.partner.contracts.map((c) => [c.api, c.scopes, c.usagePlan]),
      [['orders', ['api', 'refresh_token'], 'gold']],
    )
    await assert.rejects(
      service.show(oldId),
      (e: unknown) => e instanceof PartnerError && e.code === 'PARTNER_NOT_FOUND',
    )
    assert.equal((await service.contractFor(oldId, 'orders')).status, 'none')
    await assert.rejects(
      dcr.read(oldView.registrationClientUri, oldToken),
      (e: unknown) => e instanceof DcrError,
    )
    assert.equal(await orgKnows(service, store, rotated.credentials.clientId), true)
    await store.close()
  })

  it('keeps the old client, suspended, when the org refuses to delete it during rotation', async () => {
    const { store, service } = open()
    const { credentials } = await service.register(input)
    const failingDelete = new PartnerService({
      store,
      registrar: {
        register: (r) => dcr.register(r),
        delete: async () => {
          throw new DcrError('DCR_ORG_UNAVAILABLE', 'down', { status: 503 })
        },
      },
    })
    const rotated = await failingDelete.rotate(credentials.clientId)
    assert.equal(rotated.previousClientRemoved, false)
    assert.equal((await service.show(credentials.clientId)).status, 'suspended')
    assert.equal((await service.show(rotated.credentials.clientId)).status, 'active')
    await store.close()
  })

  it('deletes at the org, then locally', async () => {
    const { store, service } = open()
    const { credentials } = await service.register(input)
    const view = await service.show(credentials.clientId)
    const token = (await store.getSecrets(credentials.clientId))!.registrationAccessToken
    assert.deepEqual(await service.delete(credentials.clientId), {
      clientId: credentials.clientId,
      removedAtOrg: true,
    })
    assert.deepEqual(await service.list(), [])
    await assert.rejects(dcr.read(view.registrationClientUri, token), (e: unknown) => e instanceof DcrError)
    await store.close()
  })

  it('keeps local state intact when the org delete fails; force removes it locally', async () => {
    const { store, service } = open()
    const { credentials } = await service.register(input)
    const id = credentials.clientId
    org.faults.unavailable = true
    try {
      await assert.rejects(
        service.delete(id),
        (e: unknown) => e instanceof DcrError && e.code === 'DCR_ORG_UNAVAILABLE',
      )
    } finally {
      org.faults.unavailable = false
    }
    assert.equal((await service.show(id)).status, 'active')
    assert.equal((await service.contractFor(id, 'orders')).status, 'active')
    assert.ok((await store.getSecrets(id))?.clientSecret)
    assert.equal((await store.listEvents(id))[0]?.kind, 'org-delete-failed')
    // The org forgets the client behind our back; a plain delete then fails with 401 ...
    const view = await service.show(id)
    await dcr.delete(view.registrationClientUri, (await store.getSecrets(id))!.registrationAccessToken)
    await assert.rejects(
      service.delete(id),
      (e: unknown) => e instanceof DcrError && e.code === 'DCR_UNAUTHORIZED',
    )
    // ... and force clears the local record.
    assert.deepEqual(await service.delete(id, { force: true }), { clientId: id, removedAtOrg: false })
    assert.deepEqual(await service.list(), [])
    await store.close()
  })

  it('keeps everything across a restart with the same file', async () => {
    const path = join(dir, 'restart.db')
    const first = open(path)
    const { credentials } = await first.service.register(input)
    await first.service.suspend(credentials.clientId)
    await first.store.close()
    const second = open(path)
    const view = await second.service.show(credentials.clientId)
    assert.equal(view.status, 'suspended')
    assert.equal(view.contracts[0]?.usagePlan, 'gold')
    assert.equal(
      (await second.store.getSecrets(credentials.clientId))?.clientSecret,
      credentials.clientSecret,
    )
    assert.equal((await second.service.contractFor(credentials.clientId, 'orders')).status, 'suspended')
    assert.equal(await second.service.delete(credentials.clientId).then((r) => r.removedAtOrg), true)
    await second.store.close()
  })

  it('deletes the org client again when the store cannot keep it, so none is orphaned', async () => {
    const { store } = open()
    let deleted: string | undefined
    const registrar = {
      register: (r: Parameters<DcrClient['register']>[0]) => dcr.register(r),
      delete: async (uri: string, token: string) => {
        deleted = uri
        await dcr.delete(uri, token)
      },
    }
    // The store answers reads but cannot keep the new client.
    const failing = new Proxy(store, {
      get(target, key) {
        if (key === 'insertClient') return async () => Promise.reject(new Error('disk full'))
        const value = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const broken = new PartnerService({ store: failing, registrar })
    await assert.rejects(broken.register(input), /disk full/)
    await store.close()
    assert.ok(deleted?.startsWith(`${org.url}/services/oauth2/register/`))
  })
})
