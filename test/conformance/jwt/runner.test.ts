/**
 * Runs every vector in ./vectors: one behaviour per file, named after it. Each vector builds
 * a token (well-formed or hostile), verifies it with a fresh verifier against a loopback IdP,
 * and pins the outcome (accepted with given scopes, or code + log reason) and, where it
 * matters, how many requests reached the IdP's JWKS and a second, attacker-controlled host.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { after, describe, test } from 'node:test'
import { createJwtVerifier } from '../../../src/auth/jwt/jwt-verifier.ts'
import type { JwtAlgorithm } from '../../../src/auth/jwt/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { type IdpMode, startIdp, testClock } from '../../unit/auth/jwt/fixtures/idp-server.ts'
import { attackerEcKey, attackerRsaKey, ecKey, rsaKey } from '../../unit/auth/jwt/fixtures/keys.ts'
import { buildVectorToken, type VectorToken } from './vector-token.ts'

interface Vector {
  readonly description: string
  readonly catalogue?: readonly string[]
  readonly issuer?: {
    readonly audience?: readonly string[] | null
    readonly algorithms?: readonly JwtAlgorithm[]
    readonly requiredTokenType?: string
    readonly discover?: boolean
  }
  readonly verifier?: {
    readonly clockToleranceSeconds?: number
    readonly maxTokenBytes?: number
    readonly maxTokenLifetimeSeconds?: number
  }
  /** Verify a good token first (loads the keys; not counted), then move the clock, then verify. */
  readonly before?: {
    readonly warm?: boolean
    readonly advanceSeconds?: number
    readonly idpMode?: IdpMode
  }
  readonly token: VectorToken
  readonly expect:
    | { readonly valid: true; readonly scopes?: readonly string[] }
    | { readonly code: string; readonly reason: string; readonly status: number }
  readonly requests?: { readonly jwks?: number; readonly discovery?: number }
}

const idp = await startIdp([rsaKey.jwk, ecKey.jwk])
const attacker = await startIdp([attackerRsaKey.jwk, attackerEcKey.jwk])
after(async () => {
  await idp.close()
  await attacker.close()
})

const vectorsDir = new URL('./vectors/', import.meta.url)
const files = readdirSync(vectorsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()

describe('JWT conformance vectors', () => {
  test('the vector set is present', () => {
    assert.ok(files.length >= 50, `only ${files.length} vectors found`)
  })

  for (const file of files) {
    const vector = JSON.parse(readFileSync(new URL(file, vectorsDir), 'utf8')) as Vector
    test(`${file.replace(/\.json$/, '')}: ${vector.description}`, async () => {
      idp.mode = 'ok'
      idp.resetCounts()
      attacker.resetCounts()
      const clock = testClock()
      const buildToken = (spec: VectorToken) =>
        buildVectorToken(spec, {
          nowSeconds: Math.floor(clock.now() / 1000),
          issuer: idp.issuer,
          attacker: attacker.issuer,
          keys: { rsa: rsaKey, ec: ecKey, 'attacker-rsa': attackerRsaKey, 'attacker-ec': attackerEcKey },
        })
      const verifier = createJwtVerifier({
        issuers: [
          {
            issuer: idp.issuer,
            audience: vector.issuer?.audience === undefined ? ['orders-api'] : vector.issuer.audience,
            algorithms: vector.issuer?.algorithms ?? ['RS256', 'ES256'],
            ...(vector.issuer?.discover === true ? {} : { jwksUri: idp.jwksUri }),
            ...(vector.issuer?.requiredTokenType === undefined
              ? {}
              : { requiredTokenType: vector.issuer.requiredTokenType }),
          },
        ],
        clock: clock.now,
        ...vector.verifier,
      })
      if (vector.before?.warm === true) await verifier.verify(buildToken({ sign: 'rsa' }))
      idp.resetCounts()
      if (vector.before?.advanceSeconds !== undefined) clock.advance(vector.before.advanceSeconds * 1000)
      if (vector.before?.idpMode !== undefined) idp.mode = vector.before.idpMode

      const token = buildToken(vector.token)
      const outcome = await verifier.verify(token).then(
        (verified) => ({ verified }),
        (error: unknown) => ({ error }),
      )

      if ('valid' in vector.expect) {
        assert.ok('verified' in outcome, `expected acceptance, got ${describeError(outcome)}`)
        if (vector.expect.scopes !== undefined)
          assert.deepEqual(outcome.verified.scopes, vector.expect.scopes)
        assert.equal(outcome.verified.issuer, idp.issuer)
      } else {
        assert.ok('error' in outcome, 'expected a rejection, the token was accepted')
        const err = outcome.error
        assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`)
        assert.deepEqual(
          { code: err.code, reason: err.reason, status: err.status },
          { code: vector.expect.code, reason: vector.expect.reason, status: vector.expect.status },
        )
      }
      if (vector.requests?.jwks !== undefined)
        assert.equal(idp.count('/jwks'), vector.requests.jwks, 'JWKS fetches')
      if (vector.requests?.discovery !== undefined) {
        assert.equal(
          idp.count('/.well-known/openid-configuration'),
          vector.requests.discovery,
          'discovery fetches',
        )
      }
      assert.equal(attacker.total(), 0, 'no request may reach a host named by the token')
    })
  }
})

function describeError(outcome: { error: unknown } | { verified: unknown }): string {
  if (!('error' in outcome)) return 'acceptance'
  const err = outcome.error
  return err instanceof GatewayError ? `${err.code} ${err.reason ?? ''} ${err.detail ?? ''}` : String(err)
}
