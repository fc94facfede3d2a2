import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  MAX_TOKEN_LENGTH,
  parseAuthorizationCredential,
} from '../../../../src/auth/salesforce/authorization-credential.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

const SESSION = '00D5g000004FgAt!AQ4AQH0dMHEXAMPLE.token_value'

function failure(values: readonly string[] | undefined): GatewayError {
  try {
    parseAuthorizationCredential(values)
  } catch (err) {
    assert.ok(err instanceof GatewayError)
    return err
  }
  assert.fail('expected a rejection')
}

describe('parseAuthorizationCredential', () => {
  test('Bearer and OAuth, in any case, with one or more spaces', () => {
    for (const [value, scheme] of [
      [`Bearer ${SESSION}`, 'bearer'],
      [`bearer ${SESSION}`, 'bearer'],
      [`BEARER   ${SESSION}`, 'bearer'],
      [`OAuth ${SESSION}`, 'oauth'],
      [`oauth ${SESSION}`, 'oauth'],
      [` Bearer ${SESSION} `, 'bearer'],
    ] as const) {
      assert.deepEqual(parseAuthorizationCredential([value]), { scheme, token: SESSION })
    }
  })

  test('no header at all is 401 with a challenge that carries no error attribute', () => {
    for (const values of [undefined, []]) {
      const err = failure(values)
      assert.equal(err.status, 401)
      assert.equal(err.code, 'GW_IDENTITY_MISSING')
      assert.deepEqual(err.headers, { 'WWW-Authenticate': 'Bearer realm="forcegate"' })
    }
  })

  test('two headers, an empty value, a scheme without a token, an unknown scheme or a bare token are 400 invalid_request', () => {
    for (const [values, reason] of [
      [[`Bearer ${SESSION}`, `Bearer ${SESSION}`], 'sf.credential_duplicate'],
      [[''], 'sf.credential_empty'],
      [['   '], 'sf.credential_empty'],
      [['Bearer'], 'sf.credential_empty'],
      [['Bearer '], 'sf.credential_empty'],
      [[`Basic ${Buffer.from('a:b').toString('base64')}`], 'sf.credential_scheme'],
      [[`Token ${SESSION}`], 'sf.credential_scheme'],
      [[SESSION], 'sf.credential_scheme'],
      [[`Bearer\t${SESSION}`], 'sf.credential_scheme'],
      [[`Bearer ${SESSION} extra`], 'sf.credential_syntax'],
      [['Bearer a,b'], 'sf.credential_syntax'],
      [['Bearer tok"en'], 'sf.credential_syntax'],
    ] as const) {
      const err = failure(values)
      assert.equal(err.status, 400, JSON.stringify(values))
      assert.equal(err.code, 'GW_CREDENTIAL_REQUEST_MALFORMED')
      assert.equal(err.reason, reason, JSON.stringify(values))
      assert.deepEqual(err.headers, {
        'WWW-Authenticate': 'Bearer realm="forcegate", error="invalid_request"',
      })
    }
  })

  test('an oversized token is 401 invalid_token, before its syntax is looked at', () => {
    const err = failure([`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`])
    assert.equal(err.status, 401)
    assert.equal(err.reason, 'sf.token_too_large')
    assert.deepEqual(
      parseAuthorizationCredential([`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH)}`]).token.length,
      MAX_TOKEN_LENGTH,
    )
  })

  test('errors never carry the token', () => {
    const err = failure([`Bearer ${SESSION}`, 'x'])
    assert.ok(!JSON.stringify({ ...err, message: err.message }).includes(SESSION))
  })
})
