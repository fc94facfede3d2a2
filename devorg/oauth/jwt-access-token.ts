import { createPublicKey, verify as verifySignature } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { AccessToken, KoaContextWithOIDC } from 'oidc-provider'
import type { PrivateJwk } from './signing-keys.ts'
import { saveJwtRecord } from './token-records.ts'

type JwtParts = { header?: Record<string, unknown>; payload: Record<string, unknown> }

/** How long before `iat` a JWT access token becomes valid, as Salesforce's samples show. */
const NBF_SKEW_SECONDS = 15

/**
 * Reshapes oidc-provider's JWT access tokens into Salesforce's (header `kid` CORE_ATJWT…,
 * `tty`, `tnk`; payload `scp`, `sub: uid:005…`, `aud` as an array, no `jti`) and records the
 * token so that revocation and introspection can find it.
 */
export function jwtAccessTokenCustomizer(deps: {
  db: DatabaseSync
  orgId: string
  key: PrivateJwk
  now: () => number
}) {
  return async (_ctx: KoaContextWithOIDC | undefined, token: AccessToken, jwt: JwtParts): Promise<void> => {
    const p = jwt.payload
    const iat = typeof p.iat === 'number' ? p.iat : Math.floor(deps.now() / 1000)
    const exp = typeof p.exp === 'number' ? p.exp : undefined
    jwt.header = {
      tnk: `core/dev/${deps.orgId}`,
      ver: '1.0',
      kid: deps.key.kid,
      tty: 'sfdc-core-token',
      typ: 'JWT',
    }
    jwt.payload = {
      scp: typeof p.scope === 'string' ? p.scope : '',
      aud: Array.isArray(p.aud) ? p.aud : [p.aud],
      sub: `uid:${token.accountId}`,
      nbf: iat - NBF_SKEW_SECONDS,
      mty: 'oauth',
      sfi: token.jti,
      roles: [],
      iss: p.iss,
      hsc: false,
      exp,
      iat,
      client_id: p.client_id,
    }
    const record: Parameters<typeof saveJwtRecord>[1] = {
      jti: token.jti,
      accountId: token.accountId,
      clientId: token.clientId ?? String(p.client_id),
      iat,
      gty: token.gty,
    }
    if (token.grantId) record.grantId = token.grantId
    if (typeof p.scope === 'string') record.scope = p.scope
    if (exp !== undefined) record.exp = exp
    saveJwtRecord(deps.db, record)
  }
}

export type VerifiedJwtAccessToken = { sfi: string; clientId: string; exp: number }

/**
 * Checks a JWT access token's signature, issuer and lifetime synchronously (the REST slice
 * authenticates on the request path). Returns null for anything that is not one of ours.
 */
export function verifyJwtAccessToken(
  token: string,
  deps: { key: PrivateJwk; issuer: string; nowMs: number },
): VerifiedJwtAccessToken | null {
  try {
    const header = decodeProtectedHeader(token)
    if (header.alg !== 'RS256' || header.kid !== deps.key.kid) return null
    const [h, p, s] = token.split('.')
    if (h === undefined || p === undefined || s === undefined) return null
    const publicKey = createPublicKey({
      key: { kty: 'RSA', n: deps.key.n ?? '', e: deps.key.e ?? '' },
      format: 'jwk',
    })
    const ok = verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))
    if (!ok) return null
    const claims = decodeJwt(token)
    const now = Math.floor(deps.nowMs / 1000)
    if (claims.iss !== deps.issuer) return null
    if (typeof claims.exp !== 'number' || claims.exp <= now) return null
    if (typeof claims.nbf === 'number' && claims.nbf > now + 30) return null
    if (typeof claims.sfi !== 'string' || typeof claims.client_id !== 'string') return null
    return { sfi: claims.sfi, clientId: claims.client_id, exp: claims.exp }
  } catch {
    return null
  }
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)
}
