// The relay's durable state in one SQLite file: per subscription the checkpoint (the replay id
// after which to resume), the ledger of EventUuids whose delivery succeeded, the dead letters,
// and the status counters `forcegate relay status` prints. A delivery's outcome, its ledger
// entry and the checkpoint move in one transaction, so a crash leaves them agreeing.

import { DatabaseSync } from 'node:sqlite'
import { preparePrivateFile } from '../lib/private-path.ts'

export type SubscriptionState = 'starting' | 'running' | 'reconnecting' | 'failed' | 'stopped'

export interface SubscriptionStatus {
  readonly subscription: string
  readonly state: SubscriptionState
  readonly lastError: string | null
  /** The checkpoint, hex. */
  readonly replayId: string | null
  /** The newest replay id the org reported, hex. */
  readonly latestReplayId: string | null
  /** Publish-to-delivery time of the last delivered event. */
  readonly lagMs: number | null
  readonly delivered: number
  readonly retried: number
  readonly deadLettered: number
  readonly duplicates: number
  readonly updatedAt: number
}

export interface DeadLetter {
  readonly id: number
  readonly subscription: string
  readonly eventUuid: string
  readonly replayId: string
  /** The event as the target would receive it (topic, schema, payload, ids). */
  readonly event: Record<string, unknown>
  readonly error: string
  readonly attempts: number
  readonly createdAt: number
}

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

export class RelayStore {
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

  checkpoint(subscription: string): Buffer | undefined {
    const row = this.#db
      .prepare('SELECT replay_id FROM checkpoints WHERE subscription = ?')
      .get(subscription) as Row | undefined
    return row === undefined ? undefined : Buffer.from(row.replay_id as Uint8Array)
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
  saveCheckpoint(subscription: string, replayId: Buffer): void {
    this.#setCheckpoint(subscription, replayId)
  }

  /** Forgets the checkpoint (a lost replay id, restarted from earliest or latest by configuration). */
  clearCheckpoint(subscription: string): void {
    this.#db.prepare('DELETE FROM checkpoints WHERE subscription = ?').run(subscription)
  }

  wasDelivered(subscription: string, eventUuid: string): boolean {
    return (
      this.#db
        .prepare('SELECT 1 FROM delivered WHERE subscription = ? AND event_uuid = ?')
        .get(subscription, eventUuid) !== undefined
    )
  }

  /** The target accepted the event: remember its key and move past it, together. */
  recordDelivered(
    subscription: string,
    eventUuid: string,
    replayId: Buffer | undefined,
    lagMs: number | null,
    retries: number,
  ): void {
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
  recordDuplicate(subscription: string, replayId: Buffer): void {
    this.#tx(() => {
      this.#ensureStatus(subscription)
      this.#setCheckpoint(subscription, replayId)
      this.#db
        .prepare('UPDATE status SET duplicates = duplicates + 1, updated_at = ? WHERE subscription = ?')
        .run(this.#clock(), subscription)
    })
  }

  /** Every attempt failed: keep the event for `relay dlq` and move past it, together. */
  recordDeadLetter(
    subscription: string,
    entry: {
      eventUuid: string
      replayId: Buffer
      event: Record<string, unknown>
      error: string
      attempts: number
    },
  ): void {
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

  setState(subscription: string, state: SubscriptionState, lastError: string | null = null): void {
    this.#ensureStatus(subscription)
    this.#db
      .prepare('UPDATE status SET state = ?, last_error = ?, updated_at = ? WHERE subscription = ?')
      .run(state, lastError, this.#clock(), subscription)
  }

  setLatestReplayId(subscription: string, replayId: Buffer): void {
    this.#ensureStatus(subscription)
    this.#db
      .prepare('UPDATE status SET latest_replay_id = ? WHERE subscription = ?')
      .run(replayId, subscription)
  }

  /** Ledger entries older than the dedupe window go; the window outlives the replay retention. */
  pruneDelivered(windowMs: number): number {
    return Number(
      this.#db.prepare('DELETE FROM delivered WHERE delivered_at < ?').run(this.#clock() - windowMs).changes,
    )
  }

  statuses(): SubscriptionStatus[] {
    const rows = this.#db
      .prepare(
        'SELECT s.*, c.replay_id AS checkpoint FROM status s LEFT JOIN checkpoints c USING (subscription) ORDER BY s.subscription',
      )
      .all() as Row[]
    const hex = (v: unknown) =>
      v === null || v === undefined ? null : Buffer.from(v as Uint8Array).toString('hex')
    return rows.map((r) => ({
      subscription: String(r.subscription),
      state: r.state as SubscriptionState,
      lastError: (r.last_error as string | null) ?? null,
      replayId: hex(r.checkpoint),
      latestReplayId: hex(r.latest_replay_id),
      lagMs: r.lag_ms === null ? null : Number(r.lag_ms),
      delivered: Number(r.delivered),
      retried: Number(r.retried),
      deadLettered: Number(r.dead_lettered),
      duplicates: Number(r.duplicates),
      updatedAt: Number(r.updated_at),
    }))
  }

  deadLetters(subscription?: string): DeadLetter[] {
    const rows = (
      subscription === undefined
        ? this.#db.prepare('SELECT * FROM dead_letters ORDER BY id').all()
        : this.#db.prepare('SELECT * FROM dead_letters WHERE subscription = ? ORDER BY id').all(subscription)
    ) as Row[]
    return rows.map(deadLetterOf)
  }

  deadLetter(id: number): DeadLetter | undefined {
    const row = this.#db.prepare('SELECT * FROM dead_letters WHERE id = ?').get(id) as Row | undefined
    return row === undefined ? undefined : deadLetterOf(row)
  }

  /** A dead letter retried successfully: it leaves the store and its key joins the ledger. */
  resolveDeadLetter(id: number, subscription: string, eventUuid: string): void {
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

  dropDeadLetter(id: number): boolean {
    return Number(this.#db.prepare('DELETE FROM dead_letters WHERE id = ?').run(id).changes) > 0
  }

  close(): void {
    this.#db.close()
  }
}

function deadLetterOf(r: Row): DeadLetter {
  return {
    id: Number(r.id),
    subscription: String(r.subscription),
    eventUuid: String(r.event_uuid),
    replayId: String(r.replay_id),
    event: JSON.parse(String(r.event_json)) as Record<string, unknown>,
    error: String(r.error),
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
  }
}
