import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import type { Contract, PartnerClient } from '../../../src/store/partner-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SCHEMA_VERSION } from '../../../src/store/sqlite-migrations.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'
import { StoreError } from '../../../src/store/store-error.ts'

const dir = mkdtempSync(join(tmpdir(), 'fg-store-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const keyA = randomBytes(32)
const keyB = randomBytes(32)

function client(id: string, at = 1000): PartnerClient {
  return {
    clientId: id,
    partnerId: 'acme',
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

function contract(clientId: string, api: string, status: Contract['status'] = 'active'): Contract {
  return { clientId, api, scopes: ['api'], usagePlan: 'gold', status, createdAt: 1000, updatedAt: 1000 }
}

const SECRET = 'client-secret-PLAINTEXT-marker'
const TOKEN = 'registration-token-PLAINTEXT-marker'

describe('SqlitePartnerStore', () => {
  it('stores clients, contracts and events and reads them back', async () => {
    const store = new SqlitePartnerStore({ path: ':memory:', secretBox: new SecretBox(keyA) })
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

  it('rejects a duplicate client id atomically', async () => {
    const store = new SqlitePartnerStore({ path: ':memory:', secretBox: new SecretBox(keyA) })
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

  it('keeps secrets encrypted at rest: the raw row holds no plaintext', async () => {
    const path = join(dir, 'raw.db')
    const store = new SqlitePartnerStore({ path, secretBox: new SecretBox(keyA) })
    await store.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    await store.close()
    const raw = new DatabaseSync(path)
    const row = raw.prepare('SELECT * FROM partner_clients').get() as Record<string, unknown>
    raw.close()
    for (const value of Object.values(row)) {
      const bytes = value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value))
      assert.equal(bytes.includes('PLAINTEXT-marker'), false)
    }
    assert.ok(row.client_secret instanceof Uint8Array)
    assert.equal(typeof row.secret_key_id, 'string')
  })

  it('keeps everything across a restart with the same file and key', async () => {
    const path = join(dir, 'restart.db')
    const first = new SqlitePartnerStore({ path, secretBox: new SecretBox(keyA) })
    await first.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [
      contract('c1', 'orders'),
    ])
    await first.close()
    const second = new SqlitePartnerStore({ path, secretBox: new SecretBox(keyA) })
    assert.deepEqual(await second.getClient('c1'), client('c1'))
    assert.equal((await second.getContract('c1', 'orders'))?.usagePlan, 'gold')
    assert.equal((await second.getSecrets('c1'))?.clientSecret, SECRET)
    await second.close()
    const raw = new DatabaseSync(path)
    assert.equal(
      (raw.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
      SCHEMA_VERSION,
    )
    raw.close()
  })

  it('fails loudly at open with a wrong key, and reads after rotation with the old key kept', async () => {
    const path = join(dir, 'keys.db')
    const first = new SqlitePartnerStore({ path, secretBox: new SecretBox(keyA) })
    await first.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    await first.close()
    assert.throws(
      () => new SqlitePartnerStore({ path, secretBox: new SecretBox(keyB) }),
      (e: unknown) =>
        e instanceof StoreError && e.code === 'STORE_KEY_UNKNOWN' && !e.message.includes(SECRET),
    )
    const rotated = new SqlitePartnerStore({ path, secretBox: new SecretBox(keyB, [keyA]) })
    assert.equal((await rotated.getSecrets('c1'))?.registrationAccessToken, TOKEN)
    assert.equal(await rotated.reseal(), 1)
    await rotated.close()
    const onlyB = new SqlitePartnerStore({ path, secretBox: new SecretBox(keyB) })
    assert.equal((await onlyB.getSecrets('c1'))?.clientSecret, SECRET)
    await onlyB.close()
  })

  it('refuses a database written by a newer schema', () => {
    const path = join(dir, 'newer.db')
    const raw = new DatabaseSync(path)
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    assert.throws(
      () => new SqlitePartnerStore({ path, secretBox: new SecretBox(keyA) }),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_SCHEMA_TOO_NEW',
    )
  })

  it('refuses calls after close', async () => {
    const store = new SqlitePartnerStore({ path: ':memory:', secretBox: new SecretBox(keyA) })
    await store.close()
    await assert.rejects(
      store.listClients(),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_CLOSED',
    )
  })
})
