import pg from 'pg'
import { migratePostgres } from '../store/postgres-migrations.ts'
import type { SecretBox } from '../store/secret-box.ts'
import { openRecord, sealRecord } from './sealed-record.ts'
import type { BrowserSession, LoginTransaction, SessionStore } from './session-store.ts'

export interface PostgresSessionStoreOptions {
  readonly url: string
  /** Seals every record; every instance sharing the database needs the same keys. */
  readonly secretBox: SecretBox
  /** Longest wait for a connection or a query, so an unreachable server never holds a request. */
  readonly queryTimeoutMs?: number
  readonly maxConnections?: number
  /** A pooled connection failing while idle (the server restarting): logged, never thrown. */
  readonly onError?: (error: Error) => void
}

/** Associated data of a sealed record: its table and row (the same as in SQLite). */
const sessionRow = (key: string) => `portal_sessions\0${key}`
const transactionRow = (state: string) => `portal_login_transactions\0${state}`

/**
 * Browser sessions in PostgreSQL, shared by every gateway instance: a session begun on one is
 * valid on all, and signing out on one ends it on all. Rows hold the key (a hash of the cookie),
 * the expiry and the record sealed with AES-256-GCM by the gateway: ID tokens, CSRF tokens and
 * page data never reach the database in clear.
 */
export class PostgresSessionStore implements SessionStore {
  readonly #pool: pg.Pool
  readonly #box: SecretBox
  #closed = false

  private constructor(pool: pg.Pool, box: SecretBox) {
    this.#pool = pool
    this.#box = box
  }

  /** Connects and migrates (under the migrations' advisory lock). */
  static async open(options: PostgresSessionStoreOptions): Promise<PostgresSessionStore> {
    const timeout = options.queryTimeoutMs ?? 2000
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      idleTimeoutMillis: 30_000,
    })
    pool.on('error', (error) => options.onError?.(error))
    try {
      const client = await pool.connect()
      try {
        await migratePostgres(client)
      } finally {
        client.release()
      }
    } catch (error) {
      await pool.end().catch(() => {})
      throw error
    }
    return new PostgresSessionStore(pool, options.secretBox)
  }

  async #rows(sql: string, values: unknown[]): Promise<pg.QueryResult> {
    if (this.#closed) throw new Error('session store is closed')
    return this.#pool.query(sql, values)
  }

  async getSession(key: string, now: number): Promise<BrowserSession | undefined> {
    const { rows } = await this.#rows(
      'SELECT record FROM portal_sessions WHERE key = $1 AND expires_at > $2',
      [key, now],
    )
    if (rows[0] === undefined) return undefined
    const session = openRecord<BrowserSession>(this.#box, String(rows[0].record), sessionRow(key))
    return session === undefined ? undefined : Object.freeze(session)
  }

  async putSession(session: BrowserSession): Promise<void> {
    await this.#rows(
      `INSERT INTO portal_sessions (key, record, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at`,
      [session.key, sealRecord(this.#box, session, sessionRow(session.key)), session.expiresAt],
    )
  }

  async updateSession(
    key: string,
    lastSeenAt: number,
    data: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const { rows } = await this.#rows('SELECT record FROM portal_sessions WHERE key = $1', [key])
    if (rows[0] === undefined) return false
    const found = openRecord<BrowserSession>(this.#box, String(rows[0].record), sessionRow(key))
    if (found === undefined) return false
    const session = { ...found, lastSeenAt, data }
    // An UPDATE, never an upsert: a session signed out elsewhere meanwhile stays gone.
    const { rowCount } = await this.#rows('UPDATE portal_sessions SET record = $1 WHERE key = $2', [
      sealRecord(this.#box, session, sessionRow(key)),
      key,
    ])
    return (rowCount ?? 0) > 0
  }

  async deleteSession(key: string): Promise<void> {
    await this.#rows('DELETE FROM portal_sessions WHERE key = $1', [key])
  }

  async putTransaction(tx: LoginTransaction): Promise<void> {
    await this.#rows(
      'INSERT INTO portal_login_transactions (state, record, expires_at) VALUES ($1, $2, $3)',
      [tx.state, sealRecord(this.#box, tx, transactionRow(tx.state)), tx.expiresAt],
    )
  }

  async takeTransaction(state: string, now: number): Promise<LoginTransaction | undefined> {
    // DELETE … RETURNING is one statement: two callbacks racing with one state cannot both win,
    // whichever instances they reach.
    const { rows } = await this.#rows(
      'DELETE FROM portal_login_transactions WHERE state = $1 RETURNING record, expires_at',
      [state],
    )
    const row = rows[0]
    if (row === undefined || Number(row.expires_at) <= now) return undefined
    const tx = openRecord<LoginTransaction>(this.#box, String(row.record), transactionRow(state))
    return tx === undefined ? undefined : Object.freeze(tx)
  }

  async sweep(now: number): Promise<number> {
    const a = await this.#rows('DELETE FROM portal_sessions WHERE expires_at <= $1', [now])
    const b = await this.#rows('DELETE FROM portal_login_transactions WHERE expires_at <= $1', [now])
    return (a.rowCount ?? 0) + (b.rowCount ?? 0)
  }

  /** Answers when PostgreSQL does; throws otherwise (readiness). */
  async ping(): Promise<void> {
    await this.#rows('SELECT 1', [])
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.end()
  }
}
