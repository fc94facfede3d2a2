import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createJwtVerifier } from '../../../../src/auth/jwt/jwt-verifier.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'
import { craftToken, mintToken } from './fixtures/craft-token.ts'
import { type IdpServer, startIdp, testClock } from './fixtures/idp-server.ts'
import { attackerRsaKey, ecKey, makeWeakRsaKey, rsaKey } from './fixtures/keys.ts'

let idpA: IdpServer
let idpB: IdpServer
before(async () => {
  idpA = await startIdp([rsaKey.jwk])
  idpB = await startIdp([ecKey.jwk, attackerRsaKey.jwk])
})
after(async () => {
  await idpA.close()
  await idpB.close()
})
beforeEach(() => {
  idpA.resetCounts()
  idpB.resetCounts()
})

const clock = testClock()
const now = () => Math.floor(clock.now() / 1000)

function verifier() {
  return createJwtVerifier({
    issuers: [
      { issuer: idpA.issuer, audience: ['orders-api'], jwksUri: idpA.jwksUri },
      {
        issuer: idpB.issuer,
        audience: ['billing-api'],
        jwksUri: idpB.jwksUri,
        algorithms: ['ES256', 'RS256'],
      },
    ],
    clock: clock.now,
  })
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`)
  return err
}

describe('createJwtVerifier', () => {
  test('each issuer is judged with its own keys, audiences and algorithms', async () => {
    const v = verifier()
    const a = await mintToken(rsaKey, { iss: idpA.issuer, aud: 'orders-api', exp: now() + 60 })
    const b = await mintToken(ecKey, { iss: idpB.issuer, aud: 'billing-api', exp: now() + 60, scp: ['x'] })
    const verifiedA = await v.verify(a)
    const verifiedB = await v.verify(b)
    assert.equal(verifiedA.issuer, idpA.issuer)
    assert.equal(verifiedA.header.alg, 'RS256')
    assert.equal(verifiedB.issuer, idpB.issuer)
    assert.deepEqual(verifiedB.scopes, ['x'])
    assert.equal(verifiedB.exp, now() + 60)
    assert.deepEqual([idpA.count('/jwks'), idpB.count('/jwks')], [1, 1])
  })

  test("a key from one issuer's set cannot vouch for a token claiming another issuer", async () => {
    const v = verifier()
    // Signed with a key that B publishes, but claiming A: A's key set has no such kid.
    const forged = await mintToken(attackerRsaKey, { iss: idpA.issuer, aud: 'orders-api', exp: now() + 60 })
    assert.equal((await rejection(v.verify(forged))).reason, 'jwks.kid_not_found')
    assert.equal(idpB.count('/jwks'), 0)
  })

  test("one issuer's audience does not open another issuer's door", async () => {
    const v = verifier()
    const t = await mintToken(rsaKey, { iss: idpA.issuer, aud: 'billing-api', exp: now() + 60 })
    assert.equal((await rejection(v.verify(t))).reason, 'jwt.aud')
  })

  test('a __proto__ claim is kept as data and pollutes nothing', async () => {
    const v = verifier()
    const t = await mintToken(rsaKey, {
      iss: idpA.issuer,
      aud: 'orders-api',
      exp: now() + 60,
      ['__proto__']: { admin: true },
    })
    const { claims } = await v.verify(t)
    assert.ok(Object.hasOwn(claims, '__proto__'), 'the claim travelled as an own member')
    assert.equal(({} as { admin?: unknown }).admin, undefined)
    assert.equal((claims as { admin?: unknown }).admin, undefined)
  })

  test('a token signed by a weak (1024-bit) key published in the JWKS is refused', async () => {
    const weak = await makeWeakRsaKey('weak-1')
    const idp = await startIdp([weak.jwk, rsaKey.jwk])
    try {
      const v = createJwtVerifier({
        issuers: [{ issuer: idp.issuer, audience: ['a'], jwksUri: idp.jwksUri }],
        clock: clock.now,
      })
      const t = craftToken(
        JSON.stringify({ alg: 'RS256', kid: 'weak-1' }),
        JSON.stringify({ iss: idp.issuer, aud: 'a', exp: now() + 60 }),
        { kind: 'key', key: weak },
      )
      assert.equal((await rejection(v.verify(t))).reason, 'jwks.kid_not_found')
    } finally {
      await idp.close()
    }
  })

  test('a non-string token is refused', async () => {
    assert.equal((await rejection(verifier().verify(42 as unknown as string))).reason, 'jwt.malformed')
  })

  test('options are validated at construction', () => {
    const issuer = { issuer: idpA.issuer, audience: ['a'], jwksUri: idpA.jwksUri }
    const bad: [string, () => unknown][] = [
      ['no issuers', () => createJwtVerifier({ issuers: [] })],
      ['duplicate issuer', () => createJwtVerifier({ issuers: [issuer, issuer] })],
      [
        'audience omitted',
        // @ts-expect-error omitting audience must not compile; null is the explicit opt-out
        () => createJwtVerifier({ issuers: [{ issuer: idpA.issuer, jwksUri: idpA.jwksUri }] }),
      ],
      ['empty audience', () => createJwtVerifier({ issuers: [{ ...issuer, audience: [] }] })],
      ['empty algorithms', () => createJwtVerifier({ issuers: [{ ...issuer, algorithms: [] }] })],
      ['HS256', () => createJwtVerifier({ issuers: [{ ...issuer, algorithms: ['HS256' as never] }] })],
      ['none', () => createJwtVerifier({ issuers: [{ ...issuer, algorithms: ['none' as never] }] })],
      [
        'http issuer',
        () => createJwtVerifier({ issuers: [{ ...issuer, issuer: 'http://idp.example.com' }] }),
      ],
      [
        'issuer with query',
        () => createJwtVerifier({ issuers: [{ ...issuer, issuer: 'https://idp.example.com?a=1' }] }),
      ],
      ['relative issuer', () => createJwtVerifier({ issuers: [{ ...issuer, issuer: '/idp' }] })],
      ['negative tolerance', () => createJwtVerifier({ issuers: [issuer], clockToleranceSeconds: -1 })],
      ['huge tolerance', () => createJwtVerifier({ issuers: [issuer], clockToleranceSeconds: 301 })],
      ['fractional size cap', () => createJwtVerifier({ issuers: [issuer], maxTokenBytes: 100.5 })],
      ['zero lifetime', () => createJwtVerifier({ issuers: [issuer], maxTokenLifetimeSeconds: 0 })],
    ]
    for (const [label, build] of bad) assert.throws(build, TypeError, label)
    assert.doesNotThrow(() => createJwtVerifier({ issuers: [{ ...issuer, audience: null }] }))
  })
})
