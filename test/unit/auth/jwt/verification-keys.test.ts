import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseFetchableUrl } from '../../../../src/auth/jwt/fetchable-url.ts'
import { verifyJwsSignature } from '../../../../src/auth/jwt/signature.ts'
import { importVerificationKeys, selectKey } from '../../../../src/auth/jwt/verification-keys.ts'
import { isLoopbackHost } from '../../../../src/lib/loopback-host.ts'
import { signatureFor } from './fixtures/craft-token.ts'
import { ecKey, makeWeakRsaKey, rsaKey } from './fixtures/keys.ts'

const weakKey = await makeWeakRsaKey('weak')

describe('importVerificationKeys', () => {
  test('keeps RSA (>= 2048 bits) and P-256 signing keys', () => {
    const keys = importVerificationKeys({ keys: [rsaKey.jwk, ecKey.jwk] }, 50)
    assert.deepEqual(
      keys.map((k) => [k.kid, k.kty]),
      [
        ['rsa-1', 'RSA'],
        ['ec-1', 'EC'],
      ],
    )
  })

  test('drops ineligible keys one by one instead of failing the set', () => {
    const keys = importVerificationKeys(
      {
        keys: [
          weakKey.jwk,
          { ...rsaKey.jwk, kid: 'enc', use: 'enc' },
          { ...rsaKey.jwk, kid: 'ops', key_ops: ['encrypt'] },
          { ...rsaKey.jwk, kid: 7 },
          { ...ecKey.jwk, kid: 'p521', crv: 'P-521' },
          { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' },
          { kty: 'RSA', kid: 'broken', n: '!!', e: 'AQAB' },
          'not-a-key',
          null,
          { ...ecKey.jwk, kid: 'ok-ops', key_ops: ['verify'] },
        ],
      },
      50,
    )
    assert.deepEqual(
      keys.map((k) => k.kid),
      ['ok-ops'],
    )
  })

  test('never loads private members', () => {
    const privateJwk = rsaKey.privateKey.export({ format: 'jwk' })
    const [key] = importVerificationKeys({ keys: [{ ...privateJwk, kid: 'p' }] }, 50)
    assert.equal(key?.key.type, 'public')
  })

  test('anything but a JWKS object yields no keys', () => {
    for (const doc of [null, [], 'x', { keys: 'x' }, {}])
      assert.deepEqual(importVerificationKeys(doc, 50), [])
  })
})

describe('selectKey', () => {
  const keys = importVerificationKeys(
    { keys: [rsaKey.jwk, ecKey.jwk, { ...rsaKey.jwk, kid: 'rsa-es', alg: 'ES256' }] },
    50,
  )

  test('exact kid match, with the key type bound to the algorithm', () => {
    assert.equal(selectKey(keys, 'rsa-1', 'RS256')?.kid, 'rsa-1')
    assert.equal(selectKey(keys, 'rsa-1', 'ES256'), undefined)
    assert.equal(selectKey(keys, 'ec-1', 'RS256'), undefined)
    assert.equal(selectKey(keys, 'RSA-1', 'RS256'), undefined)
  })

  test("a JWK's own alg must equal the token's", () => {
    assert.equal(selectKey(keys, 'rsa-es', 'RS256'), undefined)
  })

  test('without kid, only a single fitting key is used', () => {
    assert.equal(selectKey(keys, undefined, 'ES256')?.kid, 'ec-1')
    const two = importVerificationKeys({ keys: [rsaKey.jwk, { ...rsaKey.jwk, kid: 'rsa-2' }] }, 50)
    assert.equal(selectKey(two, undefined, 'RS256'), undefined)
  })

  test('a duplicated kid is ambiguous and finds nothing', () => {
    const dup = importVerificationKeys({ keys: [rsaKey.jwk, rsaKey.jwk] }, 50)
    assert.equal(selectKey(dup, 'rsa-1', 'RS256'), undefined)
  })
})

describe('verifyJwsSignature', () => {
  const [rsa, ec] = importVerificationKeys({ keys: [rsaKey.jwk, ecKey.jwk] }, 50) as [never, never]

  test('RS256 and ES256 signatures verify; a wrong key type or length does not', () => {
    const input = 'aGVhZGVy.cGF5bG9hZA'
    const rsSig = signatureFor(input, { kind: 'key', key: rsaKey })
    const esSig = signatureFor(input, { kind: 'key', key: ecKey })
    assert.equal(verifyJwsSignature('RS256', rsa, input, rsSig), true)
    assert.equal(verifyJwsSignature('ES256', ec, input, esSig), true)
    assert.equal(verifyJwsSignature('ES256', rsa, input, esSig), false)
    assert.equal(verifyJwsSignature('RS256', ec, input, rsSig), false)
    assert.equal(verifyJwsSignature('ES256', ec, input, Buffer.concat([esSig, Buffer.alloc(1)])), false)
    assert.equal(verifyJwsSignature('RS256', rsa, `${input}x`, rsSig), false)
    assert.equal(verifyJwsSignature('RS256', rsa, input, Buffer.alloc(3)), false)
  })
})

describe('parseFetchableUrl', () => {
  test('https anywhere, http only on loopback', () => {
    assert.equal(parseFetchableUrl('https://idp.example.com/jwks', 'u').host, 'idp.example.com')
    for (const ok of [
      'http://127.0.0.1:1/x',
      'http://127.9.8.7/x',
      'http://localhost/x',
      'http://[::1]:8/x',
    ]) {
      assert.doesNotThrow(() => parseFetchableUrl(ok, 'u'), ok)
    }
    for (const bad of [
      'http://idp.example.com/x',
      'http://127.evil.example/x',
      'http://10.0.0.1/x',
      'http://localhost.evil.example/x',
      'ftp://127.0.0.1/x',
      'file:///etc/passwd',
      'https://user:pw@idp.example.com/',
      'not a url',
    ]) {
      assert.throws(() => parseFetchableUrl(bad, 'u'), TypeError, bad)
    }
  })

  test('isLoopbackHost', () => {
    assert.equal(isLoopbackHost('[::1]'), true)
    assert.equal(isLoopbackHost('::2'), false)
    assert.equal(isLoopbackHost('128.0.0.1'), false)
  })
})
