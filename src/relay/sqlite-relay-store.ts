// The relay's state in one SQLite file, the embedded default: one process runs the relay, so a
// claim is granted at once. `node:sqlite` is synchronous; the async interface is for stores
// that are not.

import { DatabaseSync } from 'node:sqlite'
import { preparePrivateFile } from '../lib/private-path.ts'
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (
  subscription TEXT PRIMARY KEY, replay_id BLOB NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS delivered (
  subscription TEXT NOT NULL, event_uuid TEXT NOT NULL, delivered_at INTEGER NOT NULL,
  PRIMARY KEY (subscription, event_uuid));
CREATE INDEX IF NOT EXISTS delivered_age ON delivered (delivered_at);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT, subscription TEXT NOT NULL, event_uuid TEXT NOT NULL,
  replay_id TEXT NOT NULL, event_json TEXT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS status (
  subscription TEXT PRIMARY KEY, state TEXT NOT NULL, last_error TEXT, latest_replay_id BLOB,
  lag_ms INTEGER, delivered INTEGER NOT NULL DEFAULT 0, retried INTEGER NOT NULL DEFAULT 0,
  dead_lettered INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL);
`

type Row = Record<string, unknown>

const HELD: SubscriptionClaim = Object.freeze({
  onLost: () => () => {},
  release: async () => {},
})

export class SqliteRelayStore implements RelayStore {
  readonly #db: DatabaseSync
  readonly #clock: () => number

  constructor(path: string, clock: () => number = Date.now) {
    preparePrivateFile(path)
    this.#db = new DatabaseSync(path)
    this.#db.exec('PRAGMA busy_timeout = 5000;')
    // WAL with synchronous NORMAL: a commit survives the process dying (SIGKILL included) but
    // is not fsynced one by one, which would cap the relay at one disk flush per event. A power
    // loss may roll back the last commits: those events come again, with their keys.
    if (path !== ':memory:') this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;')
    this.#db.exec(SCHEMA)
    this.#clock = clock
  }

  #tx<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE')
    try {
      const out = work()
      this.#db.exec('COMMIT')
      return out
    } catch (err) {
      this.#db.exec('ROLLBACK')
      throw err
    }
  }

  #ensureStatus(subscription: string): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO status (subscription, state, updated_at) VALUES (?, ?, ?)')
      .run(subscription, 'starting', this.#clock())
  }

  async checkpoint(subscription: string): Promise<Buffer | undefined> {
    const row = this.#db
      .prepare('SELECT replay_id FROM checkpoints WHERE subscription = ?')
      .get(subscription) as Row | undefined
    return row === undefined ? undefined : Buffer.from(row.replay_id as Uint8Array)
  }

  async claim(): Promise<SubscriptionClaim> {
    return HELD
  }

  #setCheckpoint(subscription: string, replayId: Buffer): void {
    this.#db
      .prepare(
        'INSERT INTO checkpoints (subscription, replay_id, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (subscription) DO UPDATE SET replay_id = excluded.replay_id, updated_at = excluded.updated_at',
      )
      .run(subscription, replayId, this.#clock())
  }

  /** Moves the checkpoint alone: a keepalive proved nothing before `replayId` is pending. */
  async saveCheckpoint(subscription: string, replayId: Buffer): Promise<void> {
    this.#setCheckpoint(subscription, replayId)
  }

  /** Forgets the checkpoint (a lost replay id, restarted from earliest or latest by configuration). */
  async clearCheckpoint(subscription: string): Promise<void> {
    this.#db.prepare('DELETE FROM checkpoints WHERE subscription = ?').run(subscription)
  }

  async wasDelivered(subscription: string, eventUuid: string): Promise<boolean> {
    return (
      this.#db
        .prepare('SELECT 1 FROM delivered WHERE subscription = ? AND event_uuid = ?')
        .get(subscription, eventUuid) !== undefined
    )
  }

  /** The target accepted the event: remember its key and move past it, together. */
  async recordDelivered(
    subscription: string,
    eventUuid: string,
    replayId: Buffer | undefined,
    lagMs: number | null,
    retries: number,
  ): Promise<void> {
    this.#tx(() => {
      this.#ensureStatus(subscription)
      this.#db
        .prepare('INSERT OR IGNORE INTO delivered (subscription, event_uuid, delivered_at) VALUES (?, ?, ?)')
        .run(subscription, eventUuid, this.#clock())
      if (replayId !== undefined) this.#setCheckpoint(subscription, replayId)
      this.#db
        .prepare(
          'UPDATE status SET delivered = delivered + 1, retried = retried + ?, lag_ms = ?, updated_at = ? WHERE subscription = ?',
        )
        .run(retries, lagMs, this.#clock(), subscription)
    })
  }

  /** A redelivered event whose key already succeeded: skipped, and the checkpoint moves past it. */
  async recordDuplicate(subscription: string, replayId: Buffer): Promise<void> {
    this.#tx(() => {
      this.#ensureStatus(subscription)
      this.#setCheckpoint(subscription, replayId)
      this.#db
        .prepare('UPDATE status SET duplicates = duplicates + 1, updated_at = ? WHERE subscription = ?')
        .run(this.#clock(), subscription)
    })
  }

  /** Every attempt failed: keep the event for `relay dlq` and move past it, together. */
  async recordDeadLetter(subscription: string, entry: DeadLetterEntry): Promise<void> {
    this.#tx(() => {
      this.#ensureStatus(subscription)
      this.#db
        .prepare(
          'INSERT INTO dead_letters (subscription, event_uuid, replay_id, event_json, error, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          subscription,
          entry.eventUuid,
          entry.replayId.toString('hex'),
          JSON.stringify(entry.event),
          entry.error,
          entry.attempts,
          this.#clock(),
        )
      this.#setCheckpoint(subscription, entry.replayId)
      this.#db
        .prepare(
          'UPDATE status SET dead_lettered = dead_lettered + 1, retried = retried + ?, updated_at = ? WHERE subscription = ?',
        )
        .run(Math.max(0, entry.attempts - 1), this.#clock(), subscription)
    })
  }

  async setState(
    subscription: string,
    state: SubscriptionState,
    lastError: string | null = null,
  ): Promise<void> {
    this.#ensureStatus(subscription)
    this.#db
      .prepare('UPDATE status SET state = ?, last_error = ?, updated_at = ? WHERE subscription = ?')
      .run(state, lastError, this.#clock(), subscription)
  }

  async setLatestReplayId(subscription: string, replayId: Buffer): Promise<void> {
    this.#ensureStatus(subscription)
    this.#db
      .prepare('UPDATE status SET latest_replay_id = ? WHERE subscription = ?')
      .run(replayId, subscription)
  }

  /** Ledger entries older than the dedupe window go; the window outlives the replay retention. */
  async pruneDelivered(windowMs: number): Promise<number> {
    return Number(
      this.#db.prepare('DELETE FROM delivered WHERE delivered_at < ?').run(this.#clock() - windowMs).changes,
    )
  }

  async statuses(): Promise<SubscriptionStatus[]> {
    const rows = this.#db
      .prepare(
        'SELECT s.*, c.replay_id AS checkpoint FROM status s LEFT JOIN checkpoints c USING (subscription) ORDER BY s.subscription',
      )
      .all() as Row[]
    return rows.map(statusOf)
  }

  async deadLetters(subscription?: string): Promise<DeadLetter[]> {
    const rows = (
      subscription === undefined
        ? this.#db.prepare('SELECT * FROM dead_letters ORDER BY id').all()
        : this.#db.prepare('SELECT * FROM dead_letters WHERE subscription = ? ORDER BY id').all(subscription)
    ) as Row[]
    return rows.map(deadLetterOf)
  }

  async deadLetter(id: number): Promise<DeadLetter | undefined> {
    const row = this.#db.prepare('SELECT * FROM dead_letters WHERE id = ?').get(id) as Row | undefined
    return row === undefined ? undefined : deadLetterOf(row)
  }

  /** A dead letter retried successfully: it leaves the store and its key joins the ledger. */
  async resolveDeadLetter(id: number, subscription: string, eventUuid: string): Promise<void> {
    this.#tx(() => {
      this.#ensureStatus(subscription)
      this.#db.prepare('DELETE FROM dead_letters WHERE id = ?').run(id)
      this.#db
        .prepare('INSERT OR IGNORE INTO delivered (subscription, event_uuid, delivered_at) VALUES (?, ?, ?)')
        .run(subscription, eventUuid, this.#clock())
      this.#db
        .prepare('UPDATE status SET delivered = delivered + 1, updated_at = ? WHERE subscription = ?')
        .run(this.#clock(), subscription)
    })
  }

  async dropDeadLetter(id: number): Promise<boolean> {
    return Number(this.#db.prepare('DELETE FROM dead_letters WHERE id = ?').run(id).changes) > 0
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close()
  }
}
