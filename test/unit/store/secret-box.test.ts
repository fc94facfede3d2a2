import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { keyIdOf, parseEncryptionKey, SecretBox } from '../../../src/store/secret-box.ts'
import { StoreError } from '../../../src/store/store-error.ts'

const keyA = randomBytes(32)
const keyB = randomBytes(32)

describe('SecretBox', () => {
  it('derives a key id that stays the same across versions (stores name keys by it)', () => {
    assert.equal(keyIdOf(Buffer.alloc(32, 7)), 'kae8db1965a8291e2')
  })

  it('round-trips a value and never stores the plaintext', () => {
    const box = new SecretBox(keyA)
    const sealed = box.seal('s3cr3t-value', 'row:1')
    assert.equal(sealed.keyId, keyIdOf(keyA))
    assert.equal(Buffer.from(sealed.data).includes(Buffer.from('s3cr3t-value')), false)
    assert.equal(box.open(sealed, 'row:1'), 's3cr3t-value')
  })

  it('uses a fresh IV for every value', () => {
    const box = new SecretBox(keyA)
    const a = Buffer.from(box.seal('same', 'x').data)
    const b = Buffer.from(box.seal('same', 'x').data)
    assert.notDeepEqual(a.subarray(0, 12), b.subarray(0, 12))
  })

  it('refuses a value sealed with a key it does not hold', () => {
    const sealed = new SecretBox(keyA).seal('v', 'x')
    assert.throws(
      () => new SecretBox(keyB).open(sealed, 'x'),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_KEY_UNKNOWN',
    )
  })

  it('fails authentication for a wrong key under the same id, a tampered value, or other associated data', () => {
    const sealed = new SecretBox(keyA).seal('value', 'row:1')
    const isDecryptFailure = (e: unknown) => e instanceof StoreError && e.code === 'STORE_DECRYPT_FAILED'
    const box = new SecretBox(keyA)
    assert.throws(() => box.open(sealed, 'row:2'), isDecryptFailure)
    const tampered = Buffer.from(sealed.data)
    tampered[14] = (tampered[14] ?? 0) ^ 1
    assert.throws(() => box.open({ keyId: sealed.keyId, data: tampered }, 'row:1'), isDecryptFailure)
    // A box whose only key is B but which is told the value carries B's id: GCM must refuse.
    assert.throws(
      () => new SecretBox(keyB).open({ keyId: keyIdOf(keyB), data: sealed.data }, 'row:1'),
      isDecryptFailure,
    )
  })

  it('opens values sealed with a previous key after rotation, and seals new ones with the active key', () => {
    const old = new SecretBox(keyA).seal('v', 'x')
    const rotated = new SecretBox(keyB, [keyA])
    assert.equal(rotated.open(old, 'x'), 'v')
    assert.equal(rotated.seal('w', 'x').keyId, keyIdOf(keyB))
  })

  it('parses 32-byte base64 keys and rejects others', () => {
    assert.deepEqual(parseEncryptionKey(keyA.toString('base64')), keyA)
    assert.deepEqual(parseEncryptionKey(keyA.toString('base64url')), keyA)
    const isInvalid = (e: unknown) => e instanceof StoreError && e.code === 'STORE_KEY_INVALID'
    assert.throws(() => parseEncryptionKey(randomBytes(16).toString('base64')), isInvalid)
    assert.throws(() => parseEncryptionKey('not base64!'), isInvalid)
  })
})
