import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import type { BrowserSession, LoginTransaction, SessionStore } from './session-store.ts'

export interface SqliteSessionStoreOptions {
  /** A file path, or `:memory:`. The parent folder is created when missing. */
  readonly path: string
}

type Row = Record<string, SQLInputValue>

const SCHEMA = `
CREATE TABLE IF NOT EXISTS portal_sessions (
  key TEXT PRIMARY KEY,
  record TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS portal_login_transactions (
  state TEXT PRIMARY KEY,
  record TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS portal_sessions_expiry ON portal_sessions (expires_at);
CREATE INDEX IF NOT EXISTS portal_login_transactions_expiry ON portal_login_transactions (expires_at);
`

/**
 * The embedded default store: one SQLite file (or memory), records as JSON beside an indexed
 * expiry. `node:sqlite` is synchronous; the async interface is for stores that are not.
 */
export class SqliteSessionStore implements SessionStore {
  readonly #db: DatabaseSync

  constructor(options: SqliteSessionStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    this.#db = new DatabaseSync(options.path)
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;')
    this.#db.exec(SCHEMA)
  }

  async getSession(key: string, now: number): Promise<BrowserSession | undefined> {
    const row = this.#db.prepare('SELECT record, expires_at FROM portal_sessions WHERE key = ?').get(key) as
      | Row
      | undefined
    if (row === undefined || Number(row.expires_at) <= now) return undefined
    return Object.freeze(JSON.parse(String(row.record)) as BrowserSession)
  }

  async putSession(session: BrowserSession): Promise<void> {
    this.#db
      .prepare('INSERT OR REPLACE INTO portal_sessions (key, record, expires_at) VALUES (?, ?, ?)')
      .run(session.key, JSON.stringify(session), session.expiresAt)
  }

  async updateSession(
    key: string,
    lastSeenAt: number,
    data: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const row = this.#db.prepare('SELECT record FROM portal_sessions WHERE key = ?').get(key) as
      | Row
      | undefined
    if (row === undefined) return false
    const session = { ...(JSON.parse(String(row.record)) as BrowserSession), lastSeenAt, data }
    this.#db.prepare('UPDATE portal_sessions SET record = ? WHERE key = ?').run(JSON.stringify(session), key)
    return true
  }

  async deleteSession(key: string): Promise<void> {
    this.#db.prepare('DELETE FROM portal_sessions WHERE key = ?').run(key)
  }

  async putTransaction(tx: LoginTransaction): Promise<void> {
    this.#db
      .prepare('INSERT INTO portal_login_transactions (state, record, expires_at) VALUES (?, ?, ?)')
      .run(tx.state, JSON.stringify(tx), tx.expiresAt)
  }

  async takeTransaction(state: string, now: number): Promise<LoginTransaction | undefined> {
    // DELETE … RETURNING is one statement: two callbacks racing with one state cannot both win.
    const row = this.#db
      .prepare('DELETE FROM portal_login_transactions WHERE state = ? RETURNING record, expires_at')
      .get(state) as Row | undefined
    if (row === undefined || Number(row.expires_at) <= now) return undefined
    return Object.freeze(JSON.parse(String(row.record)) as LoginTransaction)
  }

  async sweep(now: number): Promise<number> {
    const a = this.#db.prepare('DELETE FROM portal_sessions WHERE expires_at <= ?').run(now)
    const b = this.#db.prepare('DELETE FROM portal_login_transactions WHERE expires_at <= ?').run(now)
    return Number(a.changes) + Number(b.changes)
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close()
  }
}
