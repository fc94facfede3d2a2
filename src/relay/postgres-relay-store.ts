// The relay's state in PostgreSQL, shared by every instance. Each outcome is one statement
// (data-modifying CTEs): the ledger entry, the checkpoint and the counters commit together or
// not at all. Instances take turns on a subscription through a session-level advisory lock held
// on a connection of its own: the holder runs it, the others wait on the lock, and PostgreSQL
// hands it over the moment the holder's session ends (process gone, connection cut, server
// restarted), so two relays never run one subscription at once.

import { setTimeout as sleepFor } from 'node:timers/promises'
import pg from 'pg'
import {
  type DeadLetter,
  type DeadLetterEntry,
  deadLetterOf,
  type RelayStore,
  type SubscriptionClaim,
  type SubscriptionState,
  type SubscriptionStatus,
  statusOf,
} from './relay-store.ts'

export interface PostgresRelayStoreOptions {
  readonly url: string
  /** Brings the database to the current schema (the gateway's migrations, run under their lock). */
  readonly migrate: (client: pg.PoolClient) => Promise<void>
  readonly queryTimeoutMs?: number
  readonly maxConnections?: number
  readonly clock?: () => number
  /** Pause between attempts to claim a subscription while PostgreSQL cannot be reached. */
  readonly claimRetryMs?: number
  /**
   * How often a held claim's connection is asked whether it still answers. One that does not
   * answer within `queryTimeoutMs` is given up, well before PostgreSQL's keepalives (about a
   * minute) release the lock to another relay.
   */
  readonly claimHeartbeatMs?: number
  /** A pooled connection failing while idle (the server restarting): logged, never thrown. */
  readonly onError?: (error: Error) => void
}

const CHECKPOINT = (param: string) => `moved AS (
  INSERT INTO relay_checkpoints (subscription, replay_id, updated_at)
  SELECT $1, ${param}::bytea, $2 WHERE ${param}::bytea IS NOT NULL
  ON CONFLICT (subscription) DO UPDATE SET replay_id = excluded.replay_id, updated_at = excluded.updated_at)`

/**
 * Counters are bumped by an upsert: a status row created in the same statement is not visible
 * to an UPDATE beside it, so the insert carries the first values and the conflict adds.
 */
const COUNT = (column: string, extra = '', extraValues = '') => `counted AS (
  INSERT INTO relay_status (subscription, state, ${column}, updated_at${extra === '' ? '' : `, ${extra}`})
  VALUES ($1, 'starting', 1, $2${extraValues === '' ? '' : `, ${extraValues}`})
  ON CONFLICT (subscription) DO UPDATE SET ${column} = relay_status.${column} + 1, updated_at = $2`

export class PostgresRelayStore implements RelayStore {
  readonly #pool: pg.Pool
  readonly #url: string
  readonly #clock: () => number
  readonly #connectTimeoutMs: number
  readonly #claimRetryMs: number
  readonly #heartbeatMs: number
  readonly #claims = new Set<pg.Client>()
  #closed = false

  private constructor(pool: pg.Pool, options: PostgresRelayStoreOptions) {
    this.#pool = pool
    this.#url = options.url
    this.#clock = options.clock ?? Date.now
    this.#connectTimeoutMs = options.queryTimeoutMs ?? 2000
    this.#claimRetryMs = options.claimRetryMs ?? 1000
    this.#heartbeatMs = options.claimHeartbeatMs ?? 5000
  }

  /** Connects and migrates: an unreachable database or a schema too new fails here. */
  static async open(options: PostgresRelayStoreOptions): Promise<PostgresRelayStore> {
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
        await options.migrate(client)
      } finally {
        client.release()
      }
    } catch (error) {
      await pool.end().catch(() => {})
      throw error
    }
    return new PostgresRelayStore(pool, options)
  }

  async #query(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
    if (this.#closed) throw new Error('relay store is closed')
    return this.#pool.query(sql, values)
  }

  async claim(subscription: string, signal: AbortSignal, onStandby?: () => void): Promise<SubscriptionClaim> {
    let toldStandby = false
    for (;;) {
      signal.throwIfAborted()
      const client = new pg.Client({
        connectionString: this.#url,
        connectionTimeoutMillis: this.#connectTimeoutMs,
        keepAlive: true,
      })
      // Errors surface through the pending query or, once held, through the claim's onLost.
      client.on('error', () => {})
      const abort = () => void client.end().catch(() => {})
      try {
        // Bounded by the connect timeout; ending a connection still being opened is left to it.
        await client.connect()
        signal.throwIfAborted()
        signal.addEventListener('abort', abort, { once: true })
        const { rows } = await client.query(
          "SELECT pg_try_advisory_lock(hashtext('forcegate_relay'), hashtext($1)) AS held",
          [subscription],
        )
        if (rows[0]?.held !== true) {
          if (!toldStandby) onStandby?.()
          toldStandby = true
          // Blocks until the holder's session ends; no query timeout on this connection.
          await client.query("SELECT pg_advisory_lock(hashtext('forcegate_relay'), hashtext($1))", [
            subscription,
          ])
        }
        signal.removeEventListener('abort', abort)
        signal.throwIfAborted()
        // The server notices a client gone silent (no RST) after 30 + 3 × 10 s and releases the
        // lock; the holder's heartbeat gives it up within seconds, before that.
        await client.query(
          'SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3',
        )
        return this.#held(client)
      } catch (error) {
        signal.removeEventListener('abort', abort)
        await client.end().catch(() => {})
        signal.throwIfAborted()
        if (this.#closed) throw error
        // PostgreSQL unreachable or restarting: the claim is tried again.
        await sleepFor(this.#claimRetryMs, undefined, { signal })
      }
    }
  }

  #held(client: pg.Client): SubscriptionClaim {
    this.#claims.add(client)
    const listeners = new Set<(error: Error) => void>()
    let lost: Error | undefined
    let released = false
    const end = (error: Error) => {
      if (released || lost !== undefined) return
      lost = error
      clearInterval(heartbeat)
      this.#claims.delete(client)
      for (const listener of listeners) listener(error)
      listeners.clear()
      void client.end().catch(() => {})
    }
    client.on('error', end)
    client.on('end', () => end(new Error('the connection holding the claim ended')))
    const heartbeat = setInterval(() => {
      const silent = setTimeout(
        () =>
          end(
            new Error(`the connection holding the claim did not answer within ${this.#connectTimeoutMs} ms`),
          ),
        this.#connectTimeoutMs,
      )
      silent.unref()
      client.query('SELECT 1').then(
        () => clearTimeout(silent),
        (error: Error) => {
          clearTimeout(silent)
          end(error)
        },
      )
    }, this.#heartbeatMs)
    heartbeat.unref()
    return {
      onLost(listener) {
        if (lost !== undefined) {
          listener(lost)
          return () => {}
        }
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      release: async () => {
        released = true
        clearInterval(heartbeat)
        this.#claims.delete(client)
        // Ending the session releases its advisory locks.
        await client.end().catch(() => {})
      },
    }
  }

  async checkpoint(subscription: string): Promise<Buffer | undefined> {
    const { rows } = await this.#query('SELECT replay_id FROM relay_checkpoints WHERE subscription = $1', [
      subscription,
    ])
    return rows[0] === undefined ? undefined : Buffer.from(rows[0].replay_id as Uint8Array)
  }

  async saveCheckpoint(subscription: string, replayId: Buffer): Promise<void> {
    await this.#query(`WITH ${CHECKPOINT('$3')} SELECT 1`, [subscription, this.#clock(), replayId])
  }

  async clearCheckpoint(subscription: string): Promise<void> {
    await this.#query('DELETE FROM relay_checkpoints WHERE subscription = $1', [subscription])
  }

  async wasDelivered(subscription: string, eventUuid: string): Promise<boolean> {
    const { rows } = await this.#query(
      'SELECT 1 FROM relay_delivered WHERE subscription = $1 AND event_uuid = $2',
      [subscription, eventUuid],
    )
    return rows.length > 0
  }

  async recordDelivered(
    subscription: string,
    eventUuid: string,
    replayId: Buffer | undefined,
    lagMs: number | null,
    retries: number,
  ): Promise<void> {
    await this.#query(
      `WITH ledger AS (
         INSERT INTO relay_delivered (subscription, event_uuid, delivered_at) VALUES ($1, $3, $2)
         ON CONFLICT DO NOTHING),
       ${CHECKPOINT('$4')},
       ${COUNT('delivered', 'retried, lag_ms', '$5, $6')}, retried = relay_status.retried + $5, lag_ms = $6)
       SELECT 1`,
      [subscription, this.#clock(), eventUuid, replayId ?? null, retries, lagMs],
    )
  }

  async recordDuplicate(subscription: string, replayId: Buffer): Promise<void> {
    await this.#query(`WITH ${CHECKPOINT('$3')}, ${COUNT('duplicates')}) SELECT 1`, [
      subscription,
      this.#clock(),
      replayId,
    ])
  }

  async recordDeadLetter(subscription: string, entry: DeadLetterEntry): Promise<void> {
    const retried = Math.max(0, entry.attempts - 1)
    await this.#query(
      `WITH letter AS (
         INSERT INTO relay_dead_letters (subscription, event_uuid, replay_id, event_json, error, attempts, created_at)
         VALUES ($1, $4, $5, $6, $7, $8, $2)),
       ${CHECKPOINT('$3')},
       ${COUNT('dead_lettered', 'retried', '$9')}, retried = relay_status.retried + $9)
       SELECT 1`,
      [
        subscription,
        this.#clock(),
        entry.replayId,
        entry.eventUuid,
        entry.replayId.toString('hex'),
        JSON.stringify(entry.event),
        entry.error,
        entry.attempts,
        retried,
      ],
    )
  }

  async setState(
    subscription: string,
    state: SubscriptionState,
    lastError: string | null = null,
  ): Promise<void> {
    await this.#query(
      `INSERT INTO relay_status (subscription, state, last_error, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subscription) DO UPDATE SET state = $2, last_error = $3, updated_at = $4`,
      [subscription, state, lastError, this.#clock()],
    )
  }

  async setLatestReplayId(subscription: string, replayId: Buffer): Promise<void> {
    await this.#query(
      `INSERT INTO relay_status (subscription, state, latest_replay_id, updated_at) VALUES ($1, 'starting', $3, $2)
       ON CONFLICT (subscription) DO UPDATE SET latest_replay_id = $3`,
      [subscription, this.#clock(), replayId],
    )
  }

  async pruneDelivered(windowMs: number): Promise<number> {
    const { rowCount } = await this.#query('DELETE FROM relay_delivered WHERE delivered_at < $1', [
      this.#clock() - windowMs,
    ])
    return rowCount ?? 0
  }

  async statuses(): Promise<SubscriptionStatus[]> {
    const { rows } = await this.#query(
      `SELECT s.*, c.replay_id AS checkpoint FROM relay_status s
       LEFT JOIN relay_checkpoints c USING (subscription) ORDER BY s.subscription`,
    )
    return rows.map(statusOf)
  }

  async deadLetters(subscription?: string): Promise<DeadLetter[]> {
    const { rows } =
      subscription === undefined
        ? await this.#query('SELECT * FROM relay_dead_letters ORDER BY id')
        : await this.#query('SELECT * FROM relay_dead_letters WHERE subscription = $1 ORDER BY id', [
            subscription,
          ])
    return rows.map(deadLetterOf)
  }

  async deadLetter(id: number): Promise<DeadLetter | undefined> {
    const { rows } = await this.#query('SELECT * FROM relay_dead_letters WHERE id = $1', [id])
    return rows[0] === undefined ? undefined : deadLetterOf(rows[0])
  }

  async resolveDeadLetter(id: number, subscription: string, eventUuid: string): Promise<void> {
    await this.#query(
      `WITH gone AS (DELETE FROM relay_dead_letters WHERE id = $3),
       ledger AS (
         INSERT INTO relay_delivered (subscription, event_uuid, delivered_at) VALUES ($1, $4, $2)
         ON CONFLICT DO NOTHING),
       ${COUNT('delivered')})
       SELECT 1`,
      [subscription, this.#clock(), id, eventUuid],
    )
  }

  async dropDeadLetter(id: number): Promise<boolean> {
    const { rowCount } = await this.#query('DELETE FROM relay_dead_letters WHERE id = $1', [id])
    return (rowCount ?? 0) > 0
  }

  async ping(): Promise<void> {
    await this.#query('SELECT 1')
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const client of this.#claims) await client.end().catch(() => {})
    this.#claims.clear()
    await this.#pool.end()
  }
}
