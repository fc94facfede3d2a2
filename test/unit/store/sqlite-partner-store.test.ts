import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SCHEMA_VERSION } from '../../../src/store/sqlite-migrations.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'
import { StoreError } from '../../../src/store/store-error.ts'
import { client, keyA, partnerStoreContract, SECRET, TOKEN } from './partner-store-contract.ts'

const dir = mkdtempSync(join(tmpdir(), 'fg-store-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0

describe('SqlitePartnerStore', () => {
  partnerStoreContract({
    fresh: async () => join(dir, `contract-${++files}.db`),
    open: async (path, secretBox) => new SqlitePartnerStore({ path, secretBox }),
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

  it('records its schema version in the file', async () => {
    const path = join(dir, 'version.db')
    await new SqlitePartnerStore({ path, secretBox: new SecretBox(keyA) }).close()
    const raw = new DatabaseSync(path)
    assert.equal(
      (raw.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
      SCHEMA_VERSION,
    )
    raw.close()
  })
})
