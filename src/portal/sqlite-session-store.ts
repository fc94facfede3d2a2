import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import { preparePrivateFile } from '../lib/private-path.ts'
import type { SecretBox } from '../store/secret-box.ts'
import { openRecord, sealRecord } from './sealed-record.ts'
import { ephemeralSecretBox } from './session-secret-box.ts'
import type { BrowserSession, LoginTransaction, SessionStore } from './session-store.ts'

export interface SqliteSessionStoreOptions {
  /** A file path, or `:memory:`. The file is 0600, a folder created for it 0700. */
  readonly path: string
  /**
   * Seals every record (ID and access tokens, CSRF tokens, a partner app's secret while its
   * code flow is under way). Without one, a key made at start-up is used: sessions then end
   * with the process.
   */
  readonly secretBox?: SecretBox
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

/** Associated data of a sealed record: its table and row. */
const sessionRow = (key: string) => `portal_sessions\0${key}`
const transactionRow = (state: string) => `portal_login_transactions\0${state}`

/**
 * The embedded default store: one SQLite file (or memory), each record sealed with AES-256-GCM
 * beside its key and an indexed expiry, both of which reveal nothing usable (the key is a hash
 * of the cookie, the state is spent at the callback). `node:sqlite` is synchronous; the async
 * interface is for stores that are not.
 */
export class SqliteSessionStore implements SessionStore {
  readonly #db: DatabaseSync
  readonly #box: SecretBox

  constructor(options: SqliteSessionStoreOptions) {
    this.#box = options.secretBox ?? ephemeralSecretBox()
    // Before SQLite opens it: its -wal and -shm files take the database file's mode.
    preparePrivateFile(options.path)
    this.#db = new DatabaseSync(options.path)
    // Deleted records are overwritten, not left in free pages of the file.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;')
    this.#db.exec(SCHEMA)
    this.#dropPlainRecords()
  }

  /** Records written in clear by an earlier version go, and with them every trace in the file. */
  #dropPlainRecords(): void {
    const a = this.#db.prepare("DELETE FROM portal_sessions WHERE record LIKE '{%'").run()
    const b = this.#db.prepare("DELETE FROM portal_login_transactions WHERE record LIKE '{%'").run()
    if (Number(a.changes) + Number(b.changes) > 0) this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE);')
  }

  #readSession(key: string): { session: BrowserSession; expiresAt: number } | undefined {
    const row = this.#db.prepare('SELECT record, expires_at FROM portal_sessions WHERE key = ?').get(key) as
      | Row
      | undefined
    if (row === undefined) return undefined
    const session = openRecord<BrowserSession>(this.#box, String(row.record), sessionRow(key))
    return session === undefined ? undefined : { session, expiresAt: Number(row.expires_at) }
  }

  async getSession(key: string, now: number): Promise<BrowserSession | undefined> {
    const found = this.#readSession(key)
    if (found === undefined || found.expiresAt <= now) return undefined
    return Object.freeze(found.session)
  }

  async putSession(session: BrowserSession): Promise<void> {
    this.#db
      .prepare('INSERT OR REPLACE INTO portal_sessions (key, record, expires_at) VALUES (?, ?, ?)')
      .run(session.key, sealRecord(this.#box, session, sessionRow(session.key)), session.expiresAt)
  }

  async updateSession(
    key: string,
    lastSeenAt: number,
    data: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const found = this.#readSession(key)
    if (found === undefined) return false
    const session = { ...found.session, lastSeenAt, data }
    this.#db
      .prepare('UPDATE portal_sessions SET record = ? WHERE key = ?')
      .run(sealRecord(this.#box, session, sessionRow(key)), key)
    return true
  }

  async deleteSession(key: string): Promise<void> {
    this.#db.prepare('DELETE FROM portal_sessions WHERE key = ?').run(key)
  }

  async putTransaction(tx: LoginTransaction): Promise<void> {
    this.#db
      .prepare('INSERT INTO portal_login_transactions (state, record, expires_at) VALUES (?, ?, ?)')
      .run(tx.state, sealRecord(this.#box, tx, transactionRow(tx.state)), tx.expiresAt)
  }

  async takeTransaction(state: string, now: number): Promise<LoginTransaction | undefined> {
    // DELETE … RETURNING is one statement: two callbacks racing with one state cannot both win.
    const row = this.#db
      .prepare('DELETE FROM portal_login_transactions WHERE state = ? RETURNING record, expires_at')
      .get(state) as Row | undefined
    if (row === undefined || Number(row.expires_at) <= now) return undefined
    const tx = openRecord<LoginTransaction>(this.#box, String(row.record), transactionRow(state))
    return tx === undefined ? undefined : Object.freeze(tx)
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
