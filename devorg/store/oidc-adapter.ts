import type { DatabaseSync } from 'node:sqlite'
import type { Adapter, AdapterPayload } from 'oidc-provider'

type Row = { payload: string; expires_at: number | null; consumed_at: number | null }

/**
 * oidc-provider's storage contract on SQLite. Every model (tokens, grants, sessions,
 * interactions, registered clients) lives in one table keyed by (model, id); expiry is
 * checked on read so expired rows simply stop being found.
 */
export function sqliteAdapterFactory(db: DatabaseSync, now: () => number = Date.now) {
  const upsert = db.prepare(`
    INSERT INTO oauth_models (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT(model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
      user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at, consumed_at = NULL`)
  const byId = db.prepare(
    'SELECT payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND id = ?',
  )
  const byUid = db.prepare(
    'SELECT payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND uid = ?',
  )
  const byUserCode = db.prepare(
    'SELECT payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND user_code = ?',
  )
  const consume = db.prepare('UPDATE oauth_models SET consumed_at = ? WHERE model = ? AND id = ?')
  const destroy = db.prepare('DELETE FROM oauth_models WHERE model = ? AND id = ?')
  const revokeGrant = db.prepare('DELETE FROM oauth_models WHERE grant_id = ?')
  const sweep = db.prepare('DELETE FROM oauth_models WHERE expires_at IS NOT NULL AND expires_at < ?')

  const decode = (row: Row | undefined): AdapterPayload | undefined => {
    if (!row) return undefined
    if (row.expires_at !== null && row.expires_at <= now()) return undefined
    const payload = JSON.parse(row.payload) as AdapterPayload
    if (row.consumed_at !== null) payload.consumed = Math.floor(row.consumed_at / 1000)
    return payload
  }

  return class SqliteAdapter implements Adapter {
    readonly model: string
    constructor(model: string) {
      this.model = model
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expiresAt = expiresIn ? now() + expiresIn * 1000 : null
      upsert.run(
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        expiresAt,
      )
      // Opportunistic clean-up keeps the table from growing without a background timer.
      if (Math.random() < 0.01) sweep.run(now())
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return decode(byId.get(this.model, id) as Row | undefined)
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return decode(byUid.get(this.model, uid) as Row | undefined)
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return decode(byUserCode.get(this.model, userCode) as Row | undefined)
    }

    async consume(id: string): Promise<void> {
      consume.run(now(), this.model, id)
    }

    async destroy(id: string): Promise<void> {
      destroy.run(this.model, id)
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      revokeGrant.run(grantId)
    }
  }
}
