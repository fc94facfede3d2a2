import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { loadOrCreateEncryptionKey } from '../../../src/partners/encryption-key-file.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

const root = mkdtempSync(join(tmpdir(), 'fg-private-'))
after(() => rmSync(root, { recursive: true, force: true }))

const modeOf = (path: string) => statSync(path).mode & 0o777

describe('partner store state files under a permissive umask', () => {
  it('creates its folder 0700 and the database (and its WAL) 0600', async () => {
    const previous = process.umask(0o022)
    try {
      const folder = join(root, 'state', '.forcegate')
      const file = join(folder, 'partners.db')
      const key = loadOrCreateEncryptionKey(undefined, join(folder, 'partners.key'), file)
      const store = new SqlitePartnerStore({
        path: file,
        secretBox: new SecretBox(Buffer.from(key.key, 'base64')),
      })
      await store.appendEvent({ at: 1, clientId: 'c', kind: 'test', detail: undefined })
      assert.equal(modeOf(join(root, 'state')), 0o700)
      assert.equal(modeOf(folder), 0o700)
      assert.equal(modeOf(file), 0o600)
      assert.equal(modeOf(join(folder, 'partners.key')), 0o600)
      if (existsSync(`${file}-wal`)) assert.equal(modeOf(`${file}-wal`), 0o600)
      await store.close()
    } finally {
      process.umask(previous)
    }
  })

  it('tightens a database file an earlier version left readable, but not a folder it did not create', async () => {
    const folder = join(root, 'existing')
    const file = join(folder, 'partners.db')
    const key = randomBytes(32)
    const previous = process.umask(0o022)
    try {
      const first = new SqlitePartnerStore({ path: file, secretBox: new SecretBox(key) })
      await first.close()
    } finally {
      process.umask(previous)
    }
    chmodSync(folder, 0o755)
    chmodSync(file, 0o644)
    const store = new SqlitePartnerStore({ path: file, secretBox: new SecretBox(key) })
    assert.equal(modeOf(file), 0o600)
    assert.equal(modeOf(folder), 0o755)
    await store.close()
  })
})
