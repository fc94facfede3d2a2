import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { JwksCache } from '../../../../src/auth/jwt/jwks-cache.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'
import { type IdpServer, startIdp, testClock } from './fixtures/idp-server.ts'
import { ecKey, makeKey, makeWeakRsaKey, rsaKey } from './fixtures/keys.ts'

let idp: IdpServer
before(async () => {
  idp = await startIdp()
})
after(() => idp.close())
beforeEach(() => {
  idp.mode = 'ok'
  idp.jwks = { keys: [rsaKey.jwk, ecKey.jwk] }
  idp.discovery = undefined
  idp.resetCounts()
})

/** `jwksUri: null` leaves the URI to discovery. */
function cache(clock = testClock(), options = {}, jwksUri: string | null = idp.jwksUri) {
  return {
    clock,
    jwks: new JwksCache(idp.issuer, jwksUri ?? undefined, { fetch, clock: clock.now }, options),
  }
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`)
  return err
}

describe('JwksCache', () => {
  test('fetches once, then serves keys from memory until the max age', async () => {
    const { clock, jwks } = cache(testClock(), { maxAgeMs: 60_000 })
    assert.equal((await jwks.getKey('rsa-1', 'RS256')).kid, 'rsa-1')
    assert.equal((await jwks.getKey('ec-1', 'ES256')).kid, 'ec-1')
    assert.equal(idp.count('/jwks'), 1)
    clock.advance(60_000)
    await jwks.getKey('rsa-1', 'RS256')
    assert.equal(idp.count('/jwks'), 2)
  })

  test('concurrent first uses share one fetch', async () => {
    const { jwks } = cache()
    await Promise.all(Array.from({ length: 20 }, () => jwks.getKey('rsa-1', 'RS256')))
    assert.equal(idp.count('/jwks'), 1)
  })

  test('an unknown kid triggers one refetch that finds a rotated key', async () => {
    const { clock, jwks } = cache()
    await jwks.getKey('rsa-1', 'RS256')
    const rotated = await makeKey('RS256', 'rsa-2')
    idp.jwks = { keys: [rsaKey.jwk, rotated.jwk] }
    clock.advance(30_000)
    assert.equal((await jwks.getKey('rsa-2', 'RS256')).kid, 'rsa-2')
    assert.equal(idp.count('/jwks'), 2)
  })

  test('a flood of random kids costs at most one fetch per cooldown, and all are 401', async () => {
    const { clock, jwks } = cache(testClock(), { cooldownMs: 30_000 })
    await jwks.getKey('rsa-1', 'RS256')
    clock.advance(30_000)
    const results = await Promise.allSettled(
      Array.from({ length: 500 }, (_, i) => jwks.getKey(`random-${i}`, 'RS256')),
    )
    for (const r of results) {
      assert.equal(r.status, 'rejected')
      assert.ok(r.reason instanceof GatewayError)
      assert.equal(r.reason.code, 'GW_TOKEN_INVALID')
      assert.equal(r.reason.reason, 'jwks.kid_not_found')
    }
    assert.equal(idp.count('/jwks'), 2, 'first load + one refetch')
    clock.advance(29_999)
    await rejection(jwks.getKey('another', 'RS256'))
    assert.equal(idp.count('/jwks'), 2, 'still cooling down')
    // A known kid keeps working during the flood.
    assert.equal((await jwks.getKey('rsa-1', 'RS256')).kid, 'rsa-1')
  })

  test('JWKS unreachable at cold start is 503 with Retry-After, then backs off without fetching', async () => {
    idp.mode = 'error-500'
    const { clock, jwks } = cache(testClock(), { failureBackoffMs: 5_000 })
    const err = await rejection(jwks.getKey('rsa-1', 'RS256'))
    assert.equal(err.code, 'GW_IDP_UNAVAILABLE')
    assert.equal(err.status, 503)
    assert.equal(err.headers?.['Retry-After'], '5')
    await rejection(jwks.getKey('rsa-1', 'RS256'))
    assert.equal(idp.count('/jwks'), 1, 'no second attempt inside the backoff')
    idp.mode = 'ok'
    clock.advance(5_000)
    assert.equal((await jwks.getKey('rsa-1', 'RS256')).kid, 'rsa-1')
  })

  test('JWKS down after a good load: known keys keep working within the stale window', async () => {
    const { clock, jwks } = cache(testClock(), { maxAgeMs: 60_000, staleIfErrorMs: 3_600_000 })
    await jwks.getKey('rsa-1', 'RS256')
    idp.mode = 'error-500'
    clock.advance(120_000)
    assert.equal((await jwks.getKey('rsa-1', 'RS256')).kid, 'rsa-1')
    clock.advance(3_600_000)
    assert.equal((await rejection(jwks.getKey('rsa-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
  })

  test('unknown kid while the JWKS is down is 401, not 503', async () => {
    const { clock, jwks } = cache()
    await jwks.getKey('rsa-1', 'RS256')
    idp.mode = 'error-500'
    clock.advance(30_000)
    const err = await rejection(jwks.getKey('rotated-away', 'RS256'))
    assert.equal(err.code, 'GW_TOKEN_INVALID')
    assert.equal(err.reason, 'jwks.kid_not_found')
    assert.equal(idp.count('/jwks'), 2)
  })

  test('discovers jwks_uri from the issuer, once', async () => {
    const { clock, jwks } = cache(testClock(), { maxAgeMs: 1_000 }, null)
    await jwks.getKey('rsa-1', 'RS256')
    clock.advance(1_000)
    await jwks.getKey('rsa-1', 'RS256')
    assert.equal(idp.count('/.well-known/openid-configuration'), 1)
    assert.equal(idp.count('/jwks'), 2)
  })

  test('a discovery document naming another issuer is refused', async () => {
    idp.discovery = { issuer: `${idp.issuer}/other`, jwks_uri: idp.jwksUri }
    const { jwks } = cache(testClock(), {}, null)
    assert.equal((await rejection(jwks.getKey('rsa-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
    assert.equal(idp.count('/jwks'), 0)
  })

  test('a discovery document pointing at plain http on a public host is refused', async () => {
    idp.discovery = { issuer: idp.issuer, jwks_uri: 'http://keys.example.com/jwks' }
    const { jwks } = cache(testClock(), {}, null)
    assert.equal((await rejection(jwks.getKey('rsa-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
  })

  test('plain http to a non-loopback host is refused at construction', () => {
    const deps = { fetch, clock: Date.now }
    assert.throws(
      () => new JwksCache('https://idp.example.com', 'http://idp.example.com/jwks', deps),
      TypeError,
    )
    assert.doesNotThrow(() => new JwksCache('https://idp.example.com', 'http://localhost:1/jwks', deps))
    assert.doesNotThrow(() => new JwksCache('https://idp.example.com', 'http://[::1]:1/jwks', deps))
  })

  for (const [mode, label] of [
    ['redirect', 'a redirect'],
    ['not-json', 'a non-JSON body'],
  ] as const) {
    test(`${label} from the JWKS endpoint is a failed fetch`, async () => {
      idp.mode = mode
      const { jwks } = cache()
      assert.equal((await rejection(jwks.getKey('rsa-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
      assert.equal(idp.count('/elsewhere'), 0)
    })
  }

  test('a JWKS endpoint that does not answer in time is a failed fetch', async () => {
    idp.mode = 'hang'
    const { jwks } = cache(testClock(), { timeoutMs: 100 })
    const started = performance.now()
    assert.equal((await rejection(jwks.getKey('rsa-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
    assert.ok(performance.now() - started < 2_000)
  })

  test('a response larger than the cap is refused', async () => {
    idp.jwks = { keys: [rsaKey.jwk], padding: 'x'.repeat(5_000) }
    const { jwks } = cache(testClock(), { maxResponseBytes: 4_096 })
    assert.equal((await rejection(jwks.getKey('rsa-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
  })

  test('keys beyond maxKeys are ignored', async () => {
    const { jwks } = cache(testClock(), { maxKeys: 1 })
    assert.equal((await jwks.getKey('rsa-1', 'RS256')).kid, 'rsa-1')
    assert.equal((await rejection(jwks.getKey('ec-1', 'ES256'))).reason, 'jwks.kid_not_found')
  })

  test('a key set with only weak or foreign-use keys counts as unusable', async () => {
    const weak = await makeWeakRsaKey('weak-1')
    idp.jwks = { keys: [weak.jwk, { ...rsaKey.jwk, use: 'enc' }] }
    const { jwks } = cache()
    assert.equal((await rejection(jwks.getKey('weak-1', 'RS256'))).code, 'GW_IDP_UNAVAILABLE')
  })
})
