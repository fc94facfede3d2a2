import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { checkAudience } from '../../../../src/auth/jwt/audience.ts'
import { claimsForEvent } from '../../../../src/auth/jwt/claims-for-event.ts'
import { tokenTypeMatches } from '../../../../src/auth/jwt/header-policy.ts'
import { grantsAnyScope, scopesFromClaims } from '../../../../src/auth/jwt/scopes.ts'
import { checkTimeClaims, DEFAULT_CLOCK_TOLERANCE_SECONDS } from '../../../../src/auth/jwt/time-claims.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

function reasonOf(check: () => unknown): string {
  try {
    check()
    return 'ok'
  } catch (err) {
    assert.ok(err instanceof GatewayError)
    assert.equal(err.code, 'GW_TOKEN_INVALID')
    return err.reason ?? ''
  }
}

describe('checkTimeClaims', () => {
  const nowMs = 1_800_000_000_000
  const now = nowMs / 1000
  const policy = { toleranceSeconds: 5, maxLifetimeSeconds: 3_600 }
  const check = (claims: Record<string, unknown>) => () => checkTimeClaims(claims, nowMs, policy)

  test('the default tolerance is pinned at 5 seconds', () => {
    assert.equal(DEFAULT_CLOCK_TOLERANCE_SECONDS, 5)
  })

  test('exp boundaries with the tolerance', () => {
    assert.equal(reasonOf(check({ exp: now - 5 })), 'jwt.exp')
    assert.equal(reasonOf(check({ exp: now - 4.999 })), 'ok')
    assert.equal(checkTimeClaims({ exp: now + 10 }, nowMs, policy), now + 10)
  })

  test('lifetime boundaries', () => {
    assert.equal(reasonOf(check({ exp: now + 3_600 })), 'ok')
    assert.equal(reasonOf(check({ exp: now + 3_601 })), 'jwt.lifetime')
    assert.equal(reasonOf(check({ iat: now - 3_000, exp: now + 600 })), 'ok')
    assert.equal(reasonOf(check({ iat: now - 3_001, exp: now + 600 })), 'jwt.lifetime')
  })

  test('nbf and iat boundaries', () => {
    assert.equal(reasonOf(check({ exp: now + 60, nbf: now + 5 })), 'ok')
    assert.equal(reasonOf(check({ exp: now + 60, nbf: now + 5.001 })), 'jwt.nbf')
    assert.equal(reasonOf(check({ exp: now + 60, iat: now + 5 })), 'ok')
    assert.equal(reasonOf(check({ exp: now + 60, iat: now + 5.001 })), 'jwt.iat')
  })

  test('NumericDates must be finite non-negative numbers', () => {
    for (const exp of ['1', Number.POSITIVE_INFINITY, Number.NaN, null, true, [now + 60], -1]) {
      assert.equal(reasonOf(check({ exp })), 'jwt.exp', String(exp))
    }
    assert.equal(reasonOf(check({ exp: now + 60, iat: null })), 'jwt.iat')
    assert.equal(reasonOf(check({})), 'jwt.exp_missing')
  })
})

describe('checkAudience', () => {
  const accepted = new Set(['api-1', 'api-2'])
  const check = (claims: Record<string, unknown>) => () => checkAudience(claims, accepted)

  test('aud string or array (any match), else client_id only when aud is absent', () => {
    assert.equal(reasonOf(check({ aud: 'api-2' })), 'ok')
    assert.equal(reasonOf(check({ aud: ['x', 'api-1'] })), 'ok')
    assert.equal(reasonOf(check({ client_id: 'api-1' })), 'ok')
    assert.equal(reasonOf(check({ aud: 'x', client_id: 'api-1' })), 'jwt.aud')
    assert.equal(reasonOf(check({ aud: null, client_id: 'api-1' })), 'jwt.aud')
    assert.equal(reasonOf(check({ client_id: ['api-1'] })), 'jwt.aud')
    assert.equal(reasonOf(check({})), 'jwt.aud')
  })
})

describe('scopes', () => {
  test('scope string, then scp array or string; other types carry nothing', () => {
    assert.deepEqual(scopesFromClaims({ scope: ' a  b ' }), { scopes: ['a', 'b'], present: true })
    assert.deepEqual(scopesFromClaims({ scp: ['a', 3, '', 'b'] }), { scopes: ['a', 'b'], present: true })
    assert.deepEqual(scopesFromClaims({ scp: 'a b' }), { scopes: ['a', 'b'], present: true })
    assert.deepEqual(scopesFromClaims({ scope: ['a'] }), { scopes: [], present: false })
    assert.deepEqual(scopesFromClaims({}), { scopes: [], present: false })
  })

  test('any one route scope suffices; none required means allowed', () => {
    assert.equal(grantsAnyScope(['a', 'b'], ['c', 'b']), true)
    assert.equal(grantsAnyScope(['a'], ['c']), false)
    assert.equal(grantsAnyScope([], []), true)
    assert.equal(grantsAnyScope([], ['a']), false)
  })
})

describe('claimsForEvent', () => {
  test('flattens every value to a string, pinned shapes', () => {
    assert.deepEqual(
      claimsForEvent({
        s: 'x',
        n: 1700000000,
        f: 1.5,
        b: false,
        nil: null,
        arr: ['a', 1, ['b']],
        obj: { k: 'v' },
      }),
      { s: 'x', n: '1700000000', f: '1.5', b: 'false', nil: 'null', arr: '[a 1 [b]]', obj: '{"k":"v"}' },
    )
  })

  test('a __proto__ member is dropped rather than assigned through the prototype setter', () => {
    const claims = JSON.parse('{"sub":"u","__proto__":{"admin":"true"}}') as Record<string, unknown>
    const out = claimsForEvent(claims)
    assert.deepEqual(Object.keys(out), ['sub'])
    assert.equal(Object.getPrototypeOf(out), Object.prototype)
  })
})

describe('tokenTypeMatches', () => {
  test('case-insensitive, with or without application/', () => {
    assert.equal(tokenTypeMatches('at+jwt', 'at+jwt'), true)
    assert.equal(tokenTypeMatches('application/AT+JWT', 'at+jwt'), true)
    assert.equal(tokenTypeMatches('JWT', 'at+jwt'), false)
    assert.equal(tokenTypeMatches(undefined, 'at+jwt'), false)
  })
})
