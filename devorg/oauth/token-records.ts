import type { DatabaseSync } from 'node:sqlite'

// Synchronous reads of oidc-provider's stored tokens, for the REST slice's per-request
// authentication and for introspection. Same table the adapter writes; same expiry rules.

export type StoredToken = {
  kind: 'AccessToken' | 'RefreshToken' | 'JwtAccessToken'
  jti: string
  accountId: string
  clientId: string
  grantId?: string
  scope?: string
  iat: number
  exp?: number
  gty?: string
}

export const JWT_RECORD_MODEL = 'JwtAccessToken'

export function findStoredToken(
  db: DatabaseSync,
  model: StoredToken['kind'],
  id: string,
  nowMs: number,
): StoredToken | null {
  const row = db
    .prepare('SELECT payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND id = ?')
    .get(model, id) as { payload: string; expires_at: number | null; consumed_at: number | null } | undefined
  if (!row) return null
  if (row.expires_at !== null && row.expires_at <= nowMs) return null
  const payload = JSON.parse(row.payload) as Partial<StoredToken> & { kind?: string }
  if (payload.exp !== undefined && payload.exp * 1000 <= nowMs) return null
  if (typeof payload.accountId !== 'string' || typeof payload.clientId !== 'string') return null
  if (model === 'RefreshToken' && row.consumed_at !== null) return null
  const token: StoredToken = {
    kind: model,
    jti: id,
    accountId: payload.accountId,
    clientId: payload.clientId,
    iat: payload.iat ?? 0,
  }
  if (payload.grantId !== undefined) token.grantId = payload.grantId
  if (payload.scope !== undefined) token.scope = payload.scope
  if (payload.exp !== undefined) token.exp = payload.exp
  if (payload.gty !== undefined) token.gty = payload.gty
  return token
}

/** A JWT access token is not stored by oidc-provider; this record makes it revocable. */
export function saveJwtRecord(db: DatabaseSync, record: Omit<StoredToken, 'kind'>): void {
  const payload = { ...record, kind: JWT_RECORD_MODEL }
  db.prepare(
    `INSERT INTO oauth_models (model, id, payload, grant_id, expires_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(model, id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at`,
  ).run(
    JWT_RECORD_MODEL,
    record.jti,
    JSON.stringify(payload),
    record.grantId ?? null,
    record.exp ? record.exp * 1000 : null,
  )
}

export function deleteStoredToken(db: DatabaseSync, model: StoredToken['kind'], id: string): void {
  db.prepare('DELETE FROM oauth_models WHERE model = ? AND id = ?').run(model, id)
}

export function deleteGrant(db: DatabaseSync, grantId: string): void {
  db.prepare('DELETE FROM oauth_models WHERE grant_id = ? OR (model = ? AND id = ?)').run(
    grantId,
    'Grant',
    grantId,
  )
}
