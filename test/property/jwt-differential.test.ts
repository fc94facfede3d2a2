import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JwtVerifier } from 'aws-jwt-verify'
import fc from 'fast-check'
import { createLocalJWKSet, decodeJwt, type JWTPayload, jwtVerify } from 'jose'
import { createJwtVerifier } from '../../src/auth/jwt/jwt-verifier.ts'
import { createSalesforceEnforcer } from '../../src/auth/salesforce/salesforce-enforcer.ts'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import { attackerRsaKey, ecKey, rsaKey } from '../unit/auth/jwt/fixtures/keys.ts'
import { type CaseKeys, SKEW_SECONDS } from './jwt-mutation.ts'
import { type IssuerProfile, type TokenCase, type TokenProfile, tokenCases } from './jwt-token-cases.ts'
import { propertyParameters } from './property-runs.ts'

/**
 * Differential test of forcegate's JWT verification against jose and aws-jwt-verify, both
 * configured like forcegate (issuers, audiences, algorithms, leeway, required `exp`, `typ`).
 * On every generated token the libraries must agree, except where a mutation names the
 * library that is right and why; forcegate must then give the same answer, except where it
 * refuses more by design (each such rule is named in jwt-token-cases.ts).
 */

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0)
const NOW = NOW_MS / 1000
const keys: CaseKeys = { rsa: rsaKey, ec: ecKey, attacker: attackerRsaKey }
const jwks = { keys: [rsaKey.jwk, ecKey.jwk] }

const keySetFetch = (async () =>
  new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } })) as typeof fetch

/** RFC 7515 §4.1.9 media type comparison, as jose applies it to its `typ` option. */
const mediaType = (value: string) =>
  value.includes('/') ? value.toLowerCase() : `application/${value.toLowerCase()}`

/** API Gateway's JWT authorizer audience rule: `aud` when present, else `client_id`. */
function apiGatewayAudience(payload: JWTPayload, accepted: string): boolean {
  if (payload.aud !== undefined) {
    const aud: unknown = payload.aud
    if (typeof aud === 'string') return aud === accepted
    return (
      Array.isArray(aud) &&
      aud.length > 0 &&
      aud.every((a) => typeof a === 'string') &&
      aud.includes(accepted)
    )
  }
  return payload.client_id === accepted
}

type ExtraCheck = (header: Record<string, unknown>) => boolean

interface Oracle {
  jose(c: TokenCase): Promise<boolean>
  aws(c: TokenCase): boolean
}

function oracle(profile: TokenProfile, extra: ExtraCheck): Oracle {
  const localJwks = createLocalJWKSet(jwks)
  const awsVerifiers = [false, true].map((clientIdAudience) => {
    const verifier = JwtVerifier.create(
      profile.issuers.map((issuer) => ({
        issuer: issuer.iss,
        audience: clientIdAudience ? null : issuer.audience,
        jwksUri: `${issuer.iss}/jwks`,
        graceSeconds: SKEW_SECONDS,
        customJwtCheck: ({ header, payload }: { header: Record<string, unknown>; payload: JWTPayload }) => {
          if (payload.exp === undefined) throw new Error('exp is required')
          const typ = header.typ
          if (
            issuer.typ !== undefined &&
            (typeof typ !== 'string' || mediaType(typ) !== mediaType(issuer.typ))
          )
            throw new Error('typ')
          if (clientIdAudience && !apiGatewayAudience(payload, issuer.audience)) throw new Error('audience')
          if (!extra(header)) throw new Error('profile')
        },
      })) as never,
    )
    for (const issuer of profile.issuers) verifier.cacheJwks(jwks as never, issuer.iss)
    return verifier
  })
  const issuerOf = (token: string): IssuerProfile => {
    let iss: unknown
    try {
      iss = decodeJwt(token).iss
    } catch {}
    return profile.issuers.find((i) => i.iss === iss) ?? profile.issuers[0]!
  }
  return {
    async jose(c) {
      const issuer = issuerOf(c.token)
      const clientIdAudience = c.mutation.clientIdAudience === true
      try {
        const { payload, protectedHeader } = await jwtVerify(c.token, localJwks, {
          issuer: issuer.iss,
          algorithms: [...profile.algorithms],
          clockTolerance: SKEW_SECONDS,
          currentDate: new Date(NOW_MS),
          requiredClaims: ['exp'],
          ...(clientIdAudience ? {} : { audience: issuer.audience }),
          ...(issuer.typ === undefined ? {} : { typ: issuer.typ }),
        })
        if (clientIdAudience && !apiGatewayAudience(payload, issuer.audience)) return false
        return extra(protectedHeader as Record<string, unknown>)
      } catch {
        return false
      }
    },
    aws(c) {
      const verifier = awsVerifiers[c.mutation.clientIdAudience === true ? 1 : 0]!
      // aws-jwt-verify reads the wall clock; the call is synchronous, so the clock is
      // pinned for exactly its duration.
      const wallClock = Date.now
      Date.now = () => NOW_MS
      try {
        verifier.verifySync(c.token as never)
        return true
      } catch {
        return false
      } finally {
        Date.now = wallClock
      }
    },
  }
}

async function verdict(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run()
    return true
  } catch (err) {
    // A refusal is a 401 (400 for a credential the header grammar rejects); anything else is a bug.
    assert.ok(err instanceof GatewayError && (err.status === 401 || err.status === 400), String(err))
    return false
  }
}

/** How many cases forcegate accepted, and how many it refused by design where the libraries accepted. */
interface Tally {
  cases: number
  accepted: number
  refusedByDesign: number
}

/** Guards the generator: a run where (almost) nothing passes would prove little. */
function assertCoverage(t: Tally): void {
  assert.ok(t.accepted >= t.cases / 10, `only ${t.accepted} of ${t.cases} tokens were accepted`)
  assert.ok(t.refusedByDesign > 0, 'no case exercised a stricter-by-design rule')
}

async function checkCase(
  c: TokenCase,
  o: Oracle,
  ours: (token: string) => Promise<unknown>,
  tally: Tally,
): Promise<void> {
  const [jose, aws, accepted] = [await o.jose(c), o.aws(c), await verdict(() => ours(c.token))]
  let reference = jose
  if (jose !== aws) {
    assert.ok(
      c.mutation.libraries,
      `jose ${jose}, aws-jwt-verify ${aws} with no known reason: ${c.description}`,
    )
    reference = c.mutation.libraries.follow === 'jose' ? jose : aws
  }
  const expected = c.mutation.stricter === undefined ? reference : false
  assert.equal(accepted, expected, `forcegate ${accepted ? 'accepted' : 'refused'} ${c.description}`)
  tally.cases++
  if (accepted) tally.accepted++
  if (c.mutation.stricter !== undefined && reference) tally.refusedByDesign++
}

const GENERIC: TokenProfile = {
  issuers: [
    { iss: 'https://idp-a.example', audience: 'orders-api' },
    { iss: 'https://idp-b.example/tenant/', audience: 'billing-api', typ: 'at+jwt' },
  ],
  algorithms: ['RS256', 'ES256'],
  header: {},
  claims: { sub: 'user-1', scope: 'orders:read' },
}

test('the JWT verifier agrees with jose and aws-jwt-verify on generated and mutated tokens', async () => {
  const ours = createJwtVerifier({
    issuers: GENERIC.issuers.map((i) => ({
      issuer: i.iss,
      audience: [i.audience],
      jwksUri: `${i.iss}/jwks`,
      algorithms: GENERIC.algorithms,
      ...(i.typ === undefined ? {} : { requiredTokenType: i.typ }),
    })),
    clockToleranceSeconds: SKEW_SECONDS,
    clock: () => NOW_MS,
    fetch: keySetFetch,
  })
  const o = oracle(GENERIC, () => true)
  const tally: Tally = { cases: 0, accepted: 0, refusedByDesign: 0 }
  await fc.assert(
    fc.asyncProperty(tokenCases(GENERIC, keys, NOW), (c) => checkCase(c, o, (t) => ours.verify(t), tally)),
    propertyParameters(300),
  )
  assertCoverage(tally)
})

const ORG18 = '00D5g000004FgAtEAK'
const SALESFORCE: TokenProfile = {
  issuers: [{ iss: 'https://acme.my.salesforce.com', audience: 'https://acme.my.salesforce.com' }],
  algorithms: ['RS256'],
  header: { tty: 'sfdc-core-token', tnk: `core/na1/${ORG18}`, ver: '1.0' },
  claims: { sub: 'uid:0055g00000AbCdEAAZ', client_id: '3MVG9app', scp: 'api web' },
}

test('Salesforce JWT access tokens: the enforcer agrees with jose and aws-jwt-verify', async () => {
  const enforcer = createSalesforceEnforcer(
    {
      id: 'org',
      org: { issuer: SALESFORCE.issuers[0]!.iss, orgId: ORG18 },
      accept: ['jwt'],
      requiredScopes: [],
      scopeMode: 'all',
    },
    { fetch: keySetFetch, clock: () => NOW_MS },
  )
  // Salesforce's rule for access tokens, configured in the libraries: the header says so.
  const o = oracle(SALESFORCE, (header) => header.tty === 'sfdc-core-token')
  const tally: Tally = { cases: 0, accepted: 0, refusedByDesign: 0 }
  await fc.assert(
    fc.asyncProperty(tokenCases(SALESFORCE, keys, NOW), (c) =>
      checkCase(c, o, (t) => enforcer.authenticate([`Bearer ${t}`]), tally),
    ),
    propertyParameters(200),
  )
  assertCoverage(tally)
})
