import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { loadOrCreateEncryptionKey } from '../../../src/partners/encryption-key-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'fg-key-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('loadOrCreateEncryptionKey', () => {
  it('prefers the environment and checks it', () => {
    const key = randomBytes(32).toString('base64')
    assert.deepEqual(loadOrCreateEncryptionKey(key, join(dir, 'none.key'), join(dir, 'none.db')), {
      key,
      source: 'env',
    })
    assert.throws(
      () => loadOrCreateEncryptionKey('c2hvcnQ=', join(dir, 'none.key'), join(dir, 'none.db')),
      /32 bytes/,
    )
    assert.equal(existsSync(join(dir, 'none.key')), false)
  })

  it('generates a 0600 key file for a new store, then reads it back', () => {
    const keyFile = join(dir, 'a', 'encryption.key')
    const created = loadOrCreateEncryptionKey(undefined, keyFile, join(dir, 'a', 'partners.db'))
    assert.equal(created.source, 'generated')
    assert.equal(statSync(keyFile).mode & 0o777, 0o600)
    assert.equal(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32)
    assert.deepEqual(loadOrCreateEncryptionKey('', keyFile, join(dir, 'a', 'partners.db')), {
      key: created.key,
      source: 'file',
    })
  })

  it('warns about a key file others can read', () => {
    const keyFile = join(dir, 'open.key')
    writeFileSync(keyFile, randomBytes(32).toString('base64'))
    chmodSync(keyFile, 0o644)
    assert.match(loadOrCreateEncryptionKey(undefined, keyFile, join(dir, 'x.db')).warning ?? '', /chmod 600/)
  })

  it('never invents a key for an existing store, nor writes one for an in-memory store', () => {
    const store = join(dir, 'existing.db')
    writeFileSync(store, '')
    assert.throws(
      () => loadOrCreateEncryptionKey(undefined, join(dir, 'missing.key'), store),
      /no encryption key/,
    )
    assert.equal(existsSync(join(dir, 'missing.key')), false)
    assert.equal(loadOrCreateEncryptionKey(undefined, join(dir, 'mem.key'), ':memory:').source, 'ephemeral')
    assert.equal(existsSync(join(dir, 'mem.key')), false)
  })
})
