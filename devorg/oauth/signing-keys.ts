import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'
import { readSetting, writeSetting } from '../store/database.ts'

export type PrivateJwk = import('node:crypto').JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' }

export type SigningKeys = {
  /** Signs ID tokens; a short numeric kid, as Salesforce's `/id/keys` shows. */
  idToken: PrivateJwk
  /** Signs JWT-based access tokens; kid `CORE_ATJWT.<org15>.<ms>`. */
  accessToken: PrivateJwk
  /** Secrets for oidc-provider's signed cookies. */
  cookieKeys: string[]
}

function rsaJwk(kid: string): PrivateJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
}

/** Loads the org's keys, generating them on first start; persisted so tokens outlive a restart. */
export function loadSigningKeys(db: DatabaseSync, orgId: string, now: () => number = Date.now): SigningKeys {
  const stored = readSetting(db, 'signing_keys')
  if (stored !== undefined) return JSON.parse(stored) as SigningKeys
  const created = now()
  const keys: SigningKeys = {
    idToken: rsaJwk(String(200 + (Math.floor(created / 1000) % 800))),
    accessToken: rsaJwk(`CORE_ATJWT.${orgId.slice(0, 15)}.${created}`),
    cookieKeys: [randomBytes(32).toString('base64url')],
  }
  writeSetting(db, 'signing_keys', JSON.stringify(keys))
  return keys
}
