import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { VerifiedJwt } from '../../../../src/auth/jwt/types.ts'
import {
  checkUntrustedTokenType,
  identityFromAccessToken,
} from '../../../../src/auth/salesforce/jwt-access-token.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

const ORG18 = '00D5g000004FgAtEAK'
const EXP = 1_780_000_000

function verified(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): VerifiedJwt {
  return {
    header: {
      tnk: `core/na1/${ORG18}`,
      ver: '1.0',
      kid: `CORE_ATJWT.${ORG18.slice(0, 15)}.1700000000000`,
      tty: 'sfdc-core-token',
      typ: 'JWT',
      alg: 'RS256',
      ...header,
    },
    claims: { scp: 'api web', sub: 'uid:0055g00000AbCdEAAZ', client_id: '3MVG9app', exp: EXP, ...claims },
    issuer: 'https://acme.my.salesforce.com',
    scopes: [],
    hasScopeClaim: true,
    exp: EXP,
  }
}

function reason(run: () => unknown): string | undefined {
  try {
    run()
  } catch (err) {
    assert.ok(err instanceof GatewayError)
    assert.equal(err.status, 401)
    return err.reason
  }
  assert.fail('expected a rejection')
}

describe('checkUntrustedTokenType', () => {
  test('only sfdc-core-token passes', () => {
    checkUntrustedTokenType({ tty: 'sfdc-core-token' })
    for (const header of [{}, { tty: 'SFDC-CORE-TOKEN' }, { tty: 'id_token' }, { typ: 'at+jwt' }]) {
      assert.equal(
        reason(() => checkUntrustedTokenType(header)),
        'sf.jwt.tty',
      )
    }
  })
})

describe('identityFromAccessToken', () => {
  test("Salesforce's claims: uid: subject, scp scopes, org from tnk, exp in ms", () => {
    assert.deepEqual(identityFromAccessToken(verified()), {
      userId: '0055g00000AbCdEAAZ',
      orgId: ORG18,
      clientId: '3MVG9app',
      scopes: ['api', 'web'],
      tokenKind: 'jwt',
      expiresAt: EXP * 1000,
    })
  })

  test('scp may be an array or absent; the scope claim is not read', () => {
    assert.deepEqual(identityFromAccessToken(verified({ scp: ['api', 'id'] })).scopes, ['api', 'id'])
    assert.deepEqual(identityFromAccessToken(verified({ scp: undefined, scope: 'api' })).scopes, [])
  })

  test('the org comes from the kid when tnk is absent', () => {
    assert.equal(identityFromAccessToken(verified({}, { tnk: undefined })).orgId, ORG18.slice(0, 15))
  })

  test('rejections', () => {
    for (const [claims, header, expected] of [
      [{}, { tty: undefined }, 'sf.jwt.tty'],
      [{ sub: '0055g00000AbCdEAAZ' }, {}, 'sf.jwt.sub'],
      [{ sub: 'uid:00D5g000004FgAtEAK' }, {}, 'sf.jwt.sub'],
      [{ sub: `https://login.salesforce.com/id/${ORG18}/0055g00000AbCdEAAZ` }, {}, 'sf.jwt.sub'],
      [{ client_id: undefined }, {}, 'sf.jwt.client_id'],
      [{ client_id: '' }, {}, 'sf.jwt.client_id'],
      [{ client_id: 'app\r\nx: y' }, {}, 'sf.jwt.client_id'],
      [{ scp: 7 }, {}, 'sf.jwt.scp'],
      [{ scp: ['api', 7] }, {}, 'sf.jwt.scp'],
      [{ scp: ['a"b'] }, {}, 'sf.jwt.scp'],
      [{}, { tnk: undefined, kid: 'kid-1' }, 'sf.jwt.org'],
      [{}, { tnk: 'core/na1/00D5g000009ZzZzEAK' }, 'sf.jwt.org'],
    ] as const) {
      assert.equal(
        reason(() => identityFromAccessToken(verified(claims, header))),
        expected,
        JSON.stringify([claims, header]),
      )
    }
  })
})
