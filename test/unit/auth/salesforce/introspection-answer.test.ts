import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readIntrospectionAnswer } from '../../../../src/auth/salesforce/introspection-answer.ts'
import { OrgUnavailableError } from '../../../../src/auth/salesforce/salesforce-failure.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)
const SUB = 'https://login.salesforce.com/id/00D5g000004FgAtEAK/0055g00000AbCdEAAZ'
const ACTIVE = {
  active: true,
  scope: 'api refresh_token openid',
  client_id: '3MVG9partner',
  username: 'ada@partner.example.com',
  sub: SUB,
  token_type: 'access_token',
  exp: NOW / 1000 + 3600,
  iat: NOW / 1000,
  nbf: NOW / 1000,
}

const answer = (body: unknown, status = 200) => ({
  status,
  contentType: 'application/json',
  text: typeof body === 'string' ? body : JSON.stringify(body),
})

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (err) {
    return err
  }
  assert.fail('expected a throw')
}

describe('readIntrospectionAnswer', () => {
  test("Salesforce's active answer becomes an identity", () => {
    assert.deepEqual(readIntrospectionAnswer(answer(ACTIVE), NOW), {
      active: true,
      identity: {
        userId: '0055g00000AbCdEAAZ',
        orgId: '00D5g000004FgAtEAK',
        username: 'ada@partner.example.com',
        clientId: '3MVG9partner',
        scopes: ['api', 'refresh_token', 'openid'],
        tokenKind: 'opaque',
        expiresAt: NOW + 3_600_000,
      },
    })
  })

  test('active false is an ordinary no', () => {
    assert.deepEqual(readIntrospectionAnswer(answer({ active: false }), NOW), { active: false })
  })

  test('without exp, scope or username the identity simply lacks them', () => {
    const { exp: _e, scope: _s, username: _u, token_type: _t, ...bare } = ACTIVE
    const verdict = readIntrospectionAnswer(answer(bare), NOW)
    assert.ok(verdict.active)
    assert.equal(verdict.identity.expiresAt, undefined)
    assert.deepEqual(verdict.identity.scopes, [])
    assert.ok(!('username' in verdict.identity))
  })

  test('answers the gateway cannot read are org failures, never a yes', () => {
    for (const [body, status, reason] of [
      ['{"active": tru', 200, 'sf.introspection_malformed'],
      [[{ active: true }], 200, 'sf.introspection_malformed'],
      [{ ...ACTIVE, active: 'true' }, 200, 'sf.introspection_malformed'],
      [{ ...ACTIVE, active: 1 }, 200, 'sf.introspection_malformed'],
      [{ scope: 'api' }, 200, 'sf.introspection_malformed'],
      [{ ...ACTIVE, sub: 'uid:0055g00000AbCdEAAZ' }, 200, 'sf.introspection_malformed'],
      [{ ...ACTIVE, exp: '1700000000' }, 200, 'sf.introspection_malformed'],
      [{ ...ACTIVE, scope: ['api'] }, 200, 'sf.introspection_malformed'],
      [{ ...ACTIVE, client_id: 7 }, 200, 'sf.introspection_malformed'],
      [{ error: 'invalid_client' }, 401, 'sf.introspection_client_rejected'],
      [{ error: 'invalid_client' }, 400, 'sf.introspection_client_rejected'],
      ['Service Unavailable', 503, 'sf.introspection_unavailable'],
      [ACTIVE, 302, 'sf.introspection_unavailable'],
    ] as const) {
      const err = thrown(() => readIntrospectionAnswer(answer(body, status), NOW))
      assert.ok(err instanceof OrgUnavailableError, JSON.stringify(body))
      assert.equal(err.reason, reason, JSON.stringify(body))
    }
  })

  test('a live answer about something that is not a usable access token is 401', () => {
    for (const [body, reason] of [
      [{ ...ACTIVE, token_type: 'refresh_token' }, 'sf.token_type'],
      [{ ...ACTIVE, exp: NOW / 1000 }, 'sf.expired'],
      [{ ...ACTIVE, username: 'ada\r\nx-forcegate-user-id: 005evil' }, 'sf.identity_unsafe'],
      [{ ...ACTIVE, client_id: 'app\u0000' }, 'sf.identity_unsafe'],
    ] as const) {
      const err = thrown(() => readIntrospectionAnswer(answer(body), NOW))
      assert.ok(err instanceof GatewayError)
      assert.equal(err.status, 401)
      assert.equal(err.reason, reason)
    }
  })
})
