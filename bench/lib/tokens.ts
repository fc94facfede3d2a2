/**
 * The bench's identity material, made once and kept in bench/.work/keys: an RSA-2048 key, its
 * JWKS and OpenID discovery document (served by the upstream, which plays the issuer), one
 * token sent by every single-token variant, and a list of distinct tokens for the variants
 * that rotate identities. Tokens are re-minted when the issuer changes or they near `exp`.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { WORK_DIR } from './tools.ts'

export const AUDIENCE = 'bench-api'
const KID = 'bench-rs256'
// forcegate refuses tokens living longer than a day by default: 12 h, re-minted below 2 h left.
const LIFETIME_S = 12 * 3600

export interface Identity {
  readonly issuer: string
  /** Files: JWKS, discovery document, one token, the token list (one per line). */
  readonly jwksFile: string
  readonly discoveryFile: string
  readonly token: string
  readonly tokensFile: string
  readonly tokenCount: number
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

function mint(key: KeyObject, issuer: string, sub: string, now: number): Promise<string> {
  const header = b64({ alg: 'RS256', typ: 'JWT', kid: KID })
  const payload = b64({
    iss: issuer,
    aud: AUDIENCE,
    sub,
    iat: now,
    exp: now + LIFETIME_S,
    jti: randomUUID(),
    scope: 'orders:read orders:write',
    email: `${sub}@bench.example`,
  })
  const input = `${header}.${payload}`
  return new Promise((resolve, reject) => {
    // Asynchronous form: signs on the threadpool, using every CPU.
    sign('sha256', Buffer.from(input), key, (err, sig) =>
      err ? reject(err) : resolve(`${input}.${sig.toString('base64url')}`),
    )
  })
}

export async function ensureIdentity(
  issuer: string,
  tokenCount: number,
  log: (line: string) => void,
): Promise<Identity> {
  const dir = join(WORK_DIR, 'keys')
  mkdirSync(dir, { recursive: true })
  const keyFile = join(dir, 'rs256.pem')
  if (!existsSync(keyFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  }
  const key = createPrivateKey(readFileSync(keyFile))
  const jwk = { ...key.export({ format: 'jwk' }) }
  const publicJwk = { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: KID, alg: 'RS256', use: 'sig' }
  const jwksFile = join(dir, 'jwks.json')
  writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }))
  const discoveryFile = join(dir, 'openid-configuration.json')
  writeFileSync(
    discoveryFile,
    JSON.stringify({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
    }),
  )
  const metaFile = join(dir, 'tokens.meta.json')
  const tokensFile = join(dir, 'tokens.txt')
  const tokenFile = join(dir, 'token.txt')
  const now = Math.floor(Date.now() / 1000)
  let meta: { issuer?: string; count?: number; exp?: number; lifetime?: number } = {}
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'))
  } catch {
    // first run
  }
  const fresh =
    meta.issuer === issuer &&
    meta.lifetime === LIFETIME_S &&
    (meta.count ?? 0) >= tokenCount &&
    (meta.exp ?? 0) > now + 2 * 3600 &&
    existsSync(tokensFile) &&
    existsSync(tokenFile)
  if (!fresh) {
    log(`minting ${tokenCount} RS256 tokens for ${issuer} (kept in bench/.work/keys)`)
    const started = Date.now()
    const token = await mint(key, issuer, 'bench-user', now)
    const list: string[] = []
    const batch = 256
    for (let i = 0; i < tokenCount; i += batch) {
      const n = Math.min(batch, tokenCount - i)
      list.push(
        ...(await Promise.all(Array.from({ length: n }, (_, k) => mint(key, issuer, `user-${i + k}`, now)))),
      )
    }
    writeFileSync(tokenFile, token)
    writeFileSync(tokensFile, `${list.join('\n')}\n`)
    writeFileSync(
      metaFile,
      JSON.stringify({ issuer, count: tokenCount, exp: now + LIFETIME_S, lifetime: LIFETIME_S }),
    )
    log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  return {
    issuer,
    jwksFile,
    discoveryFile,
    token: readFileSync(tokenFile, 'utf8'),
    tokensFile,
    tokenCount: Math.max(tokenCount, meta.count ?? 0),
  }
}

/** The first `count` tokens of the list, written to their own file (for wrk's Lua script). */
export function tokenSubset(identity: Identity, count: number): string {
  const file = join(WORK_DIR, 'keys', `tokens-${count}.txt`)
  const lines = readFileSync(identity.tokensFile, 'utf8').split('\n').filter(Boolean).slice(0, count)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}
