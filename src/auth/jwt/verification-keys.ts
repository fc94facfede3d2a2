import { createPublicKey, type KeyObject } from 'node:crypto'
import type { JwtAlgorithm } from './types.ts'

/** A public key from an issuer's JWKS that may verify tokens. */
export interface VerificationKey {
  readonly kid: string | undefined
  readonly kty: 'RSA' | 'EC'
  /** The JWK's own `alg`, which, when present, must equal the token's. */
  readonly alg: string | undefined
  readonly key: KeyObject
}

export const MIN_RSA_MODULUS_BITS = 2048

/**
 * Turns a JWKS document into usable keys. Keys that cannot verify our algorithms, that are
 * marked for another use, that fail to parse or that are too weak are dropped one by one
 * rather than failing the set, so one odd key cannot lock out every token. Only the public
 * members are handed to the importer, so stray private material is never loaded.
 */
export function importVerificationKeys(document: unknown, maxKeys: number): VerificationKey[] {
  if (typeof document !== 'object' || document === null) return []
  const keys = (document as { keys?: unknown }).keys
  if (!Array.isArray(keys)) return []
  const out: VerificationKey[] = []
  for (const jwk of keys.slice(0, maxKeys)) {
    const imported = importOne(jwk)
    if (imported !== undefined) out.push(imported)
  }
  return out
}

function importOne(jwk: unknown): VerificationKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined
  const j = jwk as Record<string, unknown>
  if (j.use !== undefined && j.use !== 'sig') return undefined
  if (j.key_ops !== undefined && !(Array.isArray(j.key_ops) && j.key_ops.includes('verify'))) return undefined
  if (j.kid !== undefined && typeof j.kid !== 'string') return undefined
  if (j.alg !== undefined && typeof j.alg !== 'string') return undefined
  const kid = j.kid as string | undefined
  const alg = j.alg as string | undefined
  try {
    if (j.kty === 'RSA' && typeof j.n === 'string' && typeof j.e === 'string') {
      const key = createPublicKey({ key: { kty: 'RSA', n: j.n, e: j.e }, format: 'jwk' })
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
      if (bits < MIN_RSA_MODULUS_BITS) return undefined
      return { kid, kty: 'RSA', alg, key }
    }
    if (j.kty === 'EC' && j.crv === 'P-256' && typeof j.x === 'string' && typeof j.y === 'string') {
      const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: j.x, y: j.y }, format: 'jwk' })
      return { kid, kty: 'EC', alg, key }
    }
  } catch {
    return undefined
  }
  return undefined
}

const KTY_FOR_ALG: Readonly<Record<JwtAlgorithm, VerificationKey['kty']>> = { RS256: 'RSA', ES256: 'EC' }

/** Whether `key` may verify a token signed with `alg` (binds the key type to the algorithm). */
export function keyFitsAlgorithm(key: VerificationKey, alg: JwtAlgorithm): boolean {
  return key.kty === KTY_FOR_ALG[alg] && (key.alg === undefined || key.alg === alg)
}

/**
 * Exact `kid` lookup among keys that fit `alg`. A token without `kid` is accepted only when
 * exactly one key fits (OpenID conformance: kid absent, single key); any ambiguity finds nothing.
 */
export function selectKey(
  keys: readonly VerificationKey[],
  kid: string | undefined,
  alg: JwtAlgorithm,
): VerificationKey | undefined {
  let found: VerificationKey | undefined
  for (const key of keys) {
    if (key.kid !== kid && kid !== undefined) continue
    if (!keyFitsAlgorithm(key, alg)) continue
    if (found !== undefined) return undefined
    found = key
  }
  return found
}
