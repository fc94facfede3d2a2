import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SCHEMA_VERSION } from '../../../src/store/sqlite-migrations.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

const dir = mkdtempSync(join(tmpdir(), 'fg-migrate-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The first shipped schema, frozen here: stores written by earlier versions look like this. */
const SCHEMA_1 = `
  CREATE TABLE partner_clients (
    client_id TEXT PRIMARY KEY, name TEXT NOT NULL, redirect_uris TEXT NOT NULL, contact TEXT,
    granted_scopes TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    registration_client_uri TEXT NOT NULL, client_id_issued_at INTEGER, client_secret_expires_at INTEGER,
    rotated_from TEXT, secret_key_id TEXT NOT NULL, client_secret BLOB, registration_access_token BLOB NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE TABLE partner_contracts (
    client_id TEXT NOT NULL REFERENCES partner_clients (client_id) ON DELETE CASCADE,
    api TEXT NOT NULL, scopes TEXT NOT NULL, usage_plan TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'suspended')),
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (client_id, api)
  );
  CREATE TABLE partner_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, client_id TEXT NOT NULL,
    kind TEXT NOT NULL, detail TEXT
  );
  PRAGMA user_version = 1;
`

describe('partner store migration to partners owning clients', () => {
  it('keeps version-1 data readable and turns client suspensions into partner suspensions', async () => {
    const path = join(dir, 'v1.db')
    const key = randomBytes(32)
    const box = new SecretBox(key)
    const db = new DatabaseSync(path)
    db.exec(SCHEMA_1)
    const insert = db.prepare(
      `INSERT INTO partner_clients (client_id, name, redirect_uris, contact, granted_scopes, status,
        registration_client_uri, rotated_from, secret_key_id, client_secret, registration_access_token,
        created_at, updated_at) VALUES (?, ?, '["https://p.example/cb"]', ?, '["api"]', ?, 'https://org/r', ?, ?, ?, ?, 1, 1)`,
    )
    const rows: [string, string, string | null, string, string | null][] = [
      ['pat-1', 'Pat One', 'pat@partner.example', 'active', null],
      ['pat-2', 'Pat Two', 'pat@partner.example', 'suspended', null], // suspended by an admin
      ['old-3', 'Legacy', null, 'suspended', null], // the org would not delete it after rotation
      ['new-4', 'Legacy', null, 'active', 'old-3'],
    ]
    for (const [id, name, contact, status, rotatedFrom] of rows) {
      const token = box.seal(`rat-${id}`, `partner_clients:${id}:registration_access_token`)
      const secret = box.seal(`secret-${id}`, `partner_clients:${id}:client_secret`)
      insert.run(id, name, contact, status, rotatedFrom, token.keyId, secret.data, token.data)
    }
    db.prepare(
      `INSERT INTO partner_contracts VALUES ('pat-1', 'orders', '["api"]', 'gold', 'active', 1, 1)`,
    ).run()
    db.close()

    const store = new SqlitePartnerStore({ path, secretBox: new SecretBox(key) })
    try {
      const clients = await store.listClients()
      assert.deepEqual(
        clients.map((c) => [c.clientId, c.partnerId, c.status]),
        [
          ['new-4', 'Legacy', 'active'],
          ['old-3', 'Legacy', 'suspended'],
          ['pat-1', 'pat@partner.example', 'active'],
          ['pat-2', 'pat@partner.example', 'active'],
        ],
      )
      assert.equal((await store.getPartner('pat@partner.example'))?.status, 'suspended')
      assert.equal((await store.getPartner('Legacy'))?.status, 'active')
      assert.deepEqual(
        (await store.listClientsOf('pat@partner.example')).map((c) => c.clientId),
        ['pat-1', 'pat-2'],
      )
      assert.deepEqual(await store.getSecrets('pat-1'), {
        clientSecret: 'secret-pat-1',
        registrationAccessToken: 'rat-pat-1',
      })
      assert.equal((await store.getContract('pat-1', 'orders'))?.usagePlan, 'gold')
      assert.equal(await store.recordedUsagePlans(), undefined)
    } finally {
      await store.close()
    }
    const check = new DatabaseSync(path)
    const version = check.prepare('PRAGMA user_version').get() as { user_version: number }
    check.close()
    assert.equal(version.user_version, SCHEMA_VERSION)
  })

  it('records the usage plans of the gateway that opens the store, for tools sharing it', async () => {
    const path = join(dir, 'plans.db')
    const key = randomBytes(32)
    await new SqlitePartnerStore({
      path,
      secretBox: new SecretBox(key),
      usagePlans: ['trial', 'gold'],
    }).close()
    const reader = new SqlitePartnerStore({ path, secretBox: new SecretBox(key) })
    assert.deepEqual(await reader.recordedUsagePlans(), ['gold', 'trial'])
    await reader.close()
  })
})
