import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { classifyToken } from '../../../../src/auth/salesforce/token-kind.ts'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('classifyToken', () => {
  test('a session ID is opaque, with its untrusted 15-character org prefix', () => {
    assert.deepEqual(classifyToken('00D5g000004FgAt!AQ4AQH0dMHEXAMPLE.x_y'), {
      kind: 'opaque',
      untrustedOrg15: '00D5g000004FgAt',
    })
  })

  test('a compact JWS with a parseable header is a JWT, header returned untrusted', () => {
    const header = { alg: 'RS256', tty: 'sfdc-core-token' }
    assert.deepEqual(classifyToken(`${b64(header)}.${b64({ a: 1 })}.c2ln`), {
      kind: 'jwt',
      untrustedHeader: header,
    })
  })

  test('the canonical spelling of the same header is a JWT', () => {
    assert.equal(classifyToken('e30.e30.c2ln').kind, 'jwt')
  })

  test('everything else is unknown', () => {
    for (const token of [
      'random-opaque-value',
      '00D5g000004FgA!short-prefix',
      '001000000000000!not-an-org',
      '00D5g000004FgAt',
      '00D5g000004FgAt!',
      `${b64({ alg: 'RS256' })}.${b64({})}`,
      `${b64({ alg: 'RS256' })}.${b64({})}.sig.extra`,
      `${b64('a string')}.${b64({})}.c2ln`,
      `${b64([1])}.${b64({})}.c2ln`,
      `${Buffer.from('{"alg":').toString('base64url')}.${b64({})}.c2ln`,
      // `e31` decodes to the same bytes as `e30` ({}) but is not the canonical spelling.
      'e31.e30.c2ln',
      `${Buffer.from('{"a":1,"a":2}').toString('base64url')}.e30.c2ln`,
    ]) {
      assert.deepEqual(classifyToken(token), { kind: 'unknown' }, token)
    }
  })
})
