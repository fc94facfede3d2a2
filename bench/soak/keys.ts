/**
 * The soak's issuer keys: RS256 (the algorithm the gateway accepts by default), a JWKS that
 * rotates (a new key published beside the old one, the old one dropped at the next rotation),
 * tokens minted ahead on the threadpool so the load loop never signs, and the invalid credentials
 * the gateway must refuse.
 */
import { generateKeyPair, type KeyObject, randomUUID, sign } from 'node:crypto'

export const AUDIENCE = 'soak-api'

interface SigningKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly jwk: Record<string, unknown>
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

function newKey(): Promise<SigningKey> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => {
      if (err) return reject(err)
      const kid = `soak-${randomUUID().slice(0, 8)}`
      resolve({
        kid,
        privateKey,
        jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
      })
    }),
  )
}

function signToken(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}`
  return new Promise((resolve, reject) =>
    sign('sha256', Buffer.from(input), key.privateKey, (err, sig) =>
      err ? reject(err) : resolve(`${input}.${sig.toString('base64url')}`),
    ),
  )
}

const FRESH_LOW_WATER = 400
const MINT_BATCH = 64

export class Keyring {
  private readonly issuer: string
  private current: SigningKey
  private previous: SigningKey | undefined
  private cached: string[]
  private fresh: string[] = []
  private minting = false
  private minted = 0
  /** New subjects asked for while none was minted yet: a cached one went instead. */
  starved = 0
  private readonly invalid: string[]

  private constructor(issuer: string, current: SigningKey, cached: string[], invalid: string[]) {
    this.issuer = issuer
    this.current = current
    this.cached = cached
    this.invalid = invalid
  }

  static async create(issuer: string, cachedCount: number): Promise<Keyring> {
    const [key, stranger] = await Promise.all([newKey(), newKey()])
    const claims = (sub: string, extra: Record<string, unknown> = {}) => ({
      ...baseClaims(issuer, sub),
      ...extra,
    })
    const cached = await Promise.all(
      Array.from({ length: cachedCount }, (_, i) => signToken(key, claims(`cached-${i}`))),
    )
    const now = Math.floor(Date.now() / 1000)
    const invalid = (
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => [
          await signToken(stranger, claims(`forged-${i}`)),
          await signToken(key, claims(`expired-${i}`, { iat: now - 7200, exp: now - 3600 })),
          await signToken(key, claims(`other-audience-${i}`, { aud: 'someone-else' })),
          tamper(await signToken(key, claims(`tampered-${i}`))),
          `not-a-jwt-${randomUUID()}`,
        ]),
      )
    ).flat()
    const ring = new Keyring(issuer, key, cached, invalid)
    await ring.topUp()
    return ring
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.current.jwk, ...(this.previous === undefined ? [] : [this.previous.jwk])] }
  }

  /** Publishes a new signing key; tokens signed with the old one stay valid until the next rotation. */
  async rotate(): Promise<void> {
    const key = await newKey()
    this.previous = this.current
    this.current = key
    this.fresh = []
    this.cached = await Promise.all(
      this.cached.map((_, i) => signToken(key, baseClaims(this.issuer, `cached-${i}`))),
    )
    void this.topUp()
  }

  /** One of a small set of identities the gateway has seen (its decision cache answers). */
  cachedToken(): string {
    return this.cached[Math.floor(Math.random() * this.cached.length)]!
  }

  /** A subject never seen before: the gateway verifies the signature. */
  newToken(): string {
    if (this.fresh.length < FRESH_LOW_WATER) void this.topUp()
    const token = this.fresh.pop()
    if (token !== undefined) return token
    this.starved++
    return this.cachedToken()
  }

  /** Tokens that must be refused: forged, expired, wrong audience, tampered, not a JWT. */
  invalidToken(n: number): string {
    return this.invalid[n % this.invalid.length]!
  }

  private async topUp(): Promise<void> {
    if (this.minting) return
    this.minting = true
    try {
      while (this.fresh.length < 2 * FRESH_LOW_WATER) {
        const key = this.current
        const batch = await Promise.all(
          Array.from({ length: MINT_BATCH }, () =>
            signToken(key, baseClaims(this.issuer, `new-${this.minted++}`)),
          ),
        )
        if (key === this.current) this.fresh.push(...batch)
      }
    } finally {
      this.minting = false
    }
  }
}

function baseClaims(issuer: string, sub: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000)
  return { iss: issuer, aud: AUDIENCE, sub, iat: now, exp: now + 3600, jti: randomUUID() }
}

/** The signature of one subject over the claims of another. */
function tamper(token: string): string {
  const [h, p, s] = token.split('.')
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>
  return `${h}.${b64({ ...claims, sub: 'admin' })}.${s}`
}
