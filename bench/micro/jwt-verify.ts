/**
 * JWT signature verification: jose (WebCrypto underneath) against node:crypto on a KeyObject
 * (the approach aws-jwt-verify takes), aws-jwt-verify itself, and forcegate's verifier with
 * all its checks, on the same RS256 and ES256 tokens. Prints ops/s and ratios to jose's
 * jwtVerify in one run.
 *
 *   node bench/micro/jwt-verify.ts [msPerCase=700]
 *
 * Run with nothing else busy (`uptime`); pin with `taskset -c 0` for a one-core figure.
 */
import { constants, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { availableParallelism, loadavg } from 'node:os'
import { JwtVerifier as AwsJwtVerifier } from 'aws-jwt-verify'
import { compactVerify, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { createJwtVerifier } from '../../src/auth/jwt/jwt-verifier.ts'

const msPerCase = Number(process.argv[2] ?? 700)
const issuer = 'https://issuer.bench.test'
const audience = 'bench-api'
const jwksUri = `${issuer}/jwks`

type Alg = 'RS256' | 'ES256'
interface Fixture {
  alg: Alg
  token: string
  publicKey: KeyObject
  jwk: Record<string, unknown>
}

async function fixture(alg: Alg): Promise<Fixture> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const kid = `${alg.toLowerCase()}-key`
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  const now = Math.floor(Date.now() / 1000)
  const token = await new SignJWT({ scope: 'read write', client_id: 'bench' })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('user-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey)
  return { alg, token, publicKey: createPublicKey({ key: jwk as never, format: 'jwk' }), jwk }
}

/** The core of the node:crypto approach, with the same claim checks the jose cases do. */
function nodeCryptoSync(f: Fixture): void {
  const [h, p, s] = f.token.split('.') as [string, string, string]
  const data = Buffer.from(`${h}.${p}`, 'latin1')
  const sig = Buffer.from(s, 'base64url')
  const options =
    f.alg === 'ES256'
      ? { key: f.publicKey, dsaEncoding: 'ieee-p1363' as const }
      : { key: f.publicKey, padding: constants.RSA_PKCS1_PADDING }
  if (!cryptoVerify('sha256', data, options, sig)) throw new Error('bad signature')
  checkClaims(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')))
}

function nodeCryptoAsync(f: Fixture): Promise<void> {
  const [h, p, s] = f.token.split('.') as [string, string, string]
  const data = Buffer.from(`${h}.${p}`, 'latin1')
  const sig = Buffer.from(s, 'base64url')
  const options =
    f.alg === 'ES256'
      ? { key: f.publicKey, dsaEncoding: 'ieee-p1363' as const }
      : { key: f.publicKey, padding: constants.RSA_PKCS1_PADDING }
  return new Promise((resolve, reject) => {
    cryptoVerify('sha256', data, options, sig, (err, ok) => {
      if (err !== null || !ok) return reject(err ?? new Error('bad signature'))
      checkClaims(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')))
      resolve()
    })
  })
}

function checkClaims(claims: { iss?: unknown; aud?: unknown; exp?: unknown }): void {
  if (claims.iss !== issuer || claims.aud !== audience) throw new Error('bad claims')
  if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) throw new Error('expired')
}

/** Runs `op` with `inFlight` concurrent loops for msPerCase (after a short warm-up); ops/s. */
async function measure(op: () => unknown, inFlight = 1): Promise<number> {
  const runFor = async (ms: number): Promise<number> => {
    const deadline = performance.now() + ms
    let count = 0
    const worker = async () => {
      while (performance.now() < deadline) {
        await op()
        count++
      }
    }
    const start = performance.now()
    await Promise.all(Array.from({ length: inFlight }, worker))
    return count / ((performance.now() - start) / 1000)
  }
  await runFor(Math.min(200, msPerCase / 3))
  return runFor(msPerCase)
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${availableParallelism()} cpus, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${msPerCase} ms per case`,
  )
  const fixtures = [await fixture('RS256'), await fixture('ES256')]
  const jwks = { keys: fixtures.map((f) => f.jwk) }
  const aws = AwsJwtVerifier.create({ issuer, audience, jwksUri })
  aws.cacheJwks(jwks as never)
  const ours = createJwtVerifier({
    issuers: [{ issuer, audience: [audience], jwksUri, algorithms: ['RS256', 'ES256'] }],
    fetch: async () => Response.json(jwks),
  })
  const joseOptions = { issuer, audience, requiredClaims: ['exp'] }

  const rows: { alg: Alg; name: string; ops: number }[] = []
  for (const f of fixtures) {
    const cases: [string, () => unknown, number?][] = [
      ['jose jwtVerify (KeyObject), sequential', () => jwtVerify(f.token, f.publicKey, joseOptions)],
      ['jose jwtVerify (KeyObject), 64 in flight', () => jwtVerify(f.token, f.publicKey, joseOptions), 64],
      ['jose compactVerify (KeyObject), sequential', () => compactVerify(f.token, f.publicKey)],
      ['node:crypto verify sync + claims', () => nodeCryptoSync(f)],
      ['node:crypto verify async, sequential', () => nodeCryptoAsync(f)],
      ['node:crypto verify async, 64 in flight', () => nodeCryptoAsync(f), 64],
      ['aws-jwt-verify verifySync (cached JWKS)', () => aws.verifySync(f.token)],
      ['forcegate createJwtVerifier().verify', () => ours.verify(f.token)],
    ]
    for (const [name, op, inFlight] of cases)
      rows.push({ alg: f.alg, name, ops: await measure(op, inFlight) })
  }

  for (const alg of ['RS256', 'ES256'] as const) {
    const mine = rows.filter((r) => r.alg === alg)
    const base = mine[0]?.ops ?? 1
    console.log(`\n${alg}`)
    console.log(`${'case'.padEnd(46)} ${'ops/s'.padStart(9)} ${'µs/op'.padStart(8)} ${'× jose'.padStart(7)}`)
    for (const r of mine) {
      const line = `${r.name.padEnd(46)} ${Math.round(r.ops).toString().padStart(9)} ${(1e6 / r.ops).toFixed(1).padStart(8)}`
      console.log(`${line} ${(r.ops / base).toFixed(2).padStart(7)}`)
    }
  }
}

await main()
