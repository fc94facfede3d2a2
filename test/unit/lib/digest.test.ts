import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { sha256, sha256Bytes } from '../../../src/lib/digest.ts'

describe('sha256', () => {
  it('matches the FIPS 180-2 examples', () => {
    assert.equal(sha256('abc', 'hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    assert.equal(sha256('', 'hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    assert.equal(sha256('abc', 'base64url'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0')
  })

  it('hashes text as UTF-8, so a string and its UTF-8 bytes agree', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const expected = createHash('sha256').update(text, 'utf8').digest()
        assert.equal(sha256(text, 'hex'), expected.toString('hex'))
        assert.equal(sha256(Buffer.from(text, 'utf8'), 'base64url'), expected.toString('base64url'))
        assert.deepEqual(sha256Bytes(text), expected)
      }),
    )
  })

  it('hashes bytes as they are: 32 bytes whatever the input length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const raw = sha256Bytes(bytes)
        assert.equal(raw.length, 32)
        assert.equal(raw.toString('hex'), createHash('sha256').update(bytes).digest('hex'))
      }),
    )
  })
})
