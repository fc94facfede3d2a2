import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { lambdaAuthorizerContext } from '../../../../src/auth/salesforce/authorizer-context.ts'
import { IDENTITY_HEADER_NAMES, identityHeaders } from '../../../../src/auth/salesforce/identity-headers.ts'
import type { SalesforceIdentity } from '../../../../src/auth/salesforce/types.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

const FULL: SalesforceIdentity = {
  userId: '0055g00000AbCdEAAZ',
  orgId: '00D5g000004FgAtEAK',
  username: 'ada@partner.example.com',
  clientId: '3MVG9app',
  scopes: ['api', 'orders.read'],
  tokenKind: 'opaque',
  expiresAt: 1_780_000_000_000,
  fromCache: false,
}

const SESSION: SalesforceIdentity = {
  userId: '0055g00000AbCdEAAZ',
  orgId: '00D5g000004FgAtEAK',
  clientId: undefined,
  scopes: [],
  tokenKind: 'session',
  expiresAt: undefined,
  fromCache: true,
}

describe('identityHeaders', () => {
  test('every known fact as a lower-case header', () => {
    assert.deepEqual(identityHeaders(FULL), [
      ['x-forcegate-user-id', '0055g00000AbCdEAAZ'],
      ['x-forcegate-org-id', '00D5g000004FgAtEAK'],
      ['x-forcegate-username', 'ada@partner.example.com'],
      ['x-forcegate-client-id', '3MVG9app'],
      ['x-forcegate-scopes', 'api orders.read'],
    ])
    assert.deepEqual(
      identityHeaders(FULL).map(([name]) => name),
      [...IDENTITY_HEADER_NAMES],
    )
  })

  test('absent facts are absent headers, not empty ones', () => {
    assert.deepEqual(identityHeaders(SESSION), [
      ['x-forcegate-user-id', '0055g00000AbCdEAAZ'],
      ['x-forcegate-org-id', '00D5g000004FgAtEAK'],
    ])
  })

  test('a value with CR, LF or NUL is refused rather than sent', () => {
    for (const username of ['a\r\nx-evil: 1', 'a\nb', 'a\u0000b']) {
      assert.throws(
        () => identityHeaders({ ...FULL, username }),
        (err: unknown) => err instanceof GatewayError && err.reason === 'sf.identity_unsafe',
      )
    }
  })

  test('the names are lower case, so client copies can be stripped by name', () => {
    for (const name of IDENTITY_HEADER_NAMES) assert.equal(name, name.toLowerCase())
  })
})

describe('lambdaAuthorizerContext', () => {
  test('string values only, principalId is the user id, scopes space-joined', () => {
    assert.deepEqual(lambdaAuthorizerContext(FULL), {
      principalId: '0055g00000AbCdEAAZ',
      userId: '0055g00000AbCdEAAZ',
      orgId: '00D5g000004FgAtEAK',
      username: 'ada@partner.example.com',
      clientId: '3MVG9app',
      scopes: 'api orders.read',
      tokenKind: 'opaque',
    })
  })

  test('a session identity has no username or client keys and empty scopes', () => {
    const context = lambdaAuthorizerContext(SESSION)
    assert.deepEqual(context, {
      principalId: '0055g00000AbCdEAAZ',
      userId: '0055g00000AbCdEAAZ',
      orgId: '00D5g000004FgAtEAK',
      scopes: '',
      tokenKind: 'session',
    })
    assert.ok(Object.values(context).every((v) => typeof v === 'string'))
  })
})
