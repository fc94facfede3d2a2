import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import type { Contract, PartnerClient, PartnerStore } from '../../../src/store/partner-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { StoreError } from '../../../src/store/store-error.ts'

/** How a suite opens one backend: `fresh` names an empty store, `open` opens it (again). */
export interface PartnerStoreBackend {
  fresh(): Promise<string>
  open(location: string, box: SecretBox): Promise<PartnerStore>
}

export const keyA = randomBytes(32)
export const keyB = randomBytes(32)
export const SECRET = 'client-secret-PLAINTEXT-marker'
export const TOKEN = 'registration-token-PLAINTEXT-marker'

export function client(id: string, at = 1000, partnerId = 'acme'): PartnerClient {
  return {
    clientId: id,
    partnerId,
    name: `App ${id}`,
    redirectUris: ['https://partner.example/cb'],
    contact: 'ops@partner.example',
    grantedScopes: ['api', 'refresh_token'],
    status: 'active',
    registrationClientUri: `https://org.example/services/oauth2/register/${id}`,
    clientIdIssuedAt: 1_700_000_000,
    clientSecretExpiresAt: 0,
    rotatedFrom: undefined,
    createdAt: at,
    updatedAt: at,
  }
}

export function contract(clientId: string, api: string, status: Contract['status'] = 'active'): Contract {
  return { clientId, api, scopes: ['api'], usagePlan: 'gold', status, createdAt: 1000, updatedAt: 1000 }
}

/** What every partner store promises, whatever holds the rows. */
export function partnerStoreContract(backend: PartnerStoreBackend): void {
  const openFresh = async (box = new SecretBox(keyA)) => backend.open(await backend.fresh(), box)

  it('stores clients, contracts and events and reads them back', async () => {
    const store = await openFresh()
    await store.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [
      contract('c1', 'orders'),
      contract('c1', 'billing', 'pending'),
    ])
    assert.deepEqual(await store.getClient('c1'), client('c1'))
    assert.deepEqual(
      (await store.listContracts('c1')).map((c) => [c.api, c.status]),
      [
        ['billing', 'pending'],
        ['orders', 'active'],
      ],
    )
    assert.deepEqual(await store.getSecrets('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN })
    assert.equal(await store.setClientStatus('c1', 'suspended', 2000), true)
    assert.equal((await store.getClient('c1'))?.status, 'suspended')
    assert.equal(await store.setClientStatus('nope', 'suspended', 2000), false)
    await store.putContract({ ...contract('c1', 'billing'), updatedAt: 3000 })
    assert.equal((await store.getContract('c1', 'billing'))?.status, 'active')
    await store.appendEvent({ at: 1, clientId: 'c1', kind: 'registered', detail: undefined })
    await store.appendEvent({ at: 2, clientId: 'c1', kind: 'suspended', detail: 'by admin' })
    assert.deepEqual(
      (await store.listEvents('c1')).map((e) => e.kind),
      ['suspended', 'registered'],
    )
    assert.equal(await store.deleteClient('c1'), true)
    assert.equal(await store.getClient('c1'), undefined)
    assert.deepEqual(await store.listContracts('c1'), [])
    assert.equal((await store.listEvents('c1')).length, 2, 'the audit trail outlives the client')
    await store.close()
  })

  it('keeps partners owning clients, and their status', async () => {
    const store = await openFresh()
    await store.insertClient(
      client('c1', 1000),
      { clientSecret: undefined, registrationAccessToken: TOKEN },
      [],
    )
    await store.insertClient(client('c2', 2000), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    await store.insertClient(
      client('o1', 1500, 'other'),
      { clientSecret: SECRET, registrationAccessToken: TOKEN },
      [],
    )
    assert.deepEqual(
      (await store.listClientsOf('acme')).map((c) => c.clientId),
      ['c1', 'c2'],
    )
    assert.deepEqual(
      (await store.listClients()).map((c) => c.clientId),
      ['c1', 'o1', 'c2'],
    )
    assert.equal((await store.getSecrets('c1'))?.clientSecret, undefined)
    assert.equal((await store.getPartner('acme'))?.status, 'active')
    assert.equal(await store.setPartnerStatus('acme', 'suspended', 5000), true)
    assert.deepEqual(await store.getPartner('acme'), {
      partnerId: 'acme',
      status: 'suspended',
      createdAt: 1000,
      updatedAt: 5000,
    })
    assert.equal(await store.setPartnerStatus('nobody', 'suspended', 5000), false)
    assert.equal(await store.getPartner('nobody'), undefined)
    await store.close()
  })

  it('rejects a duplicate client id atomically', async () => {
    const store = await openFresh()
    await store.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    await assert.rejects(
      store.insertClient(client('c1'), { clientSecret: 'x', registrationAccessToken: 'y' }, [
        contract('c1', 'x'),
      ]),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_DUPLICATE',
    )
    assert.deepEqual(await store.listContracts('c1'), [])
    await store.close()
  })

  it('keeps everything across a restart with the same location and key', async () => {
    const location = await backend.fresh()
    const first = await backend.open(location, new SecretBox(keyA))
    await first.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [
      contract('c1', 'orders'),
    ])
    await first.close()
    const second = await backend.open(location, new SecretBox(keyA))
    assert.deepEqual(await second.getClient('c1'), client('c1'))
    assert.equal((await second.getContract('c1', 'orders'))?.usagePlan, 'gold')
    assert.equal((await second.getSecrets('c1'))?.clientSecret, SECRET)
    await second.close()
  })

  it('fails loudly at open with a wrong key, and reads after rotation with the old key kept', async () => {
    const location = await backend.fresh()
    const first = await backend.open(location, new SecretBox(keyA))
    await first.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    await first.close()
    await assert.rejects(
      backend.open(location, new SecretBox(keyB)),
      (e: unknown) =>
        e instanceof StoreError && e.code === 'STORE_KEY_UNKNOWN' && !e.message.includes(SECRET),
    )
    const rotated = await backend.open(location, new SecretBox(keyB, [keyA]))
    assert.equal((await rotated.getSecrets('c1'))?.registrationAccessToken, TOKEN)
    assert.equal(await rotated.reseal(), 1)
    await rotated.close()
    const onlyB = await backend.open(location, new SecretBox(keyB))
    assert.equal((await onlyB.getSecrets('c1'))?.clientSecret, SECRET)
    await onlyB.close()
  })

  it('refuses calls after close', async () => {
    const store = await openFresh()
    await store.close()
    await assert.rejects(
      store.listClients(),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_CLOSED',
    )
  })
}
