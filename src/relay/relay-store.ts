// The relay's durable state, whatever holds it: per subscription the checkpoint (the replay id
// after which to resume), the ledger of EventUuids whose delivery succeeded, the dead letters,
// and the status counters `forcegate relay status` prints. A delivery's outcome, its ledger
// entry and the checkpoint move in one transaction, so a crash leaves them agreeing.
// SQLite (`sqlite-relay-store.ts`) is the embedded default; PostgreSQL
// (`postgres-relay-store.ts`) is shared by instances, which take turns on each subscription.

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

export interface DeadLetterEntry {
  readonly eventUuid: string
  readonly replayId: Buffer
  readonly event: Record<string, unknown>
  readonly error: string
  readonly attempts: number
}

/**
 * This process's right to run one subscription. While it is held no other relay sharing the
 * store runs it, so no two deliver the same events.
 */
export interface SubscriptionClaim {
  /**
   * Calls `listener` once if the right ends without release (the connection holding it
   * dropped); answers the function that stops listening.
   */
  onLost(listener: (error: Error) => void): () => void
  release(): Promise<void>
}

export interface RelayStore {
  /**
   * Waits until this process may run `subscription` (at once when nothing else shares the
   * store), calling `onStandby` once if another holds it; rejects when `signal` aborts first.
   */
  claim(subscription: string, signal: AbortSignal, onStandby?: () => void): Promise<SubscriptionClaim>
  checkpoint(subscription: string): Promise<Buffer | undefined>
  /** Moves the checkpoint alone: a keepalive proved nothing before `replayId` is pending. */
  saveCheckpoint(subscription: string, replayId: Buffer): Promise<void>
  /** Forgets the checkpoint (a lost replay id, restarted from earliest or latest by configuration). */
  clearCheckpoint(subscription: string): Promise<void>
  wasDelivered(subscription: string, eventUuid: string): Promise<boolean>
  /** The target accepted the event: remember its key and move past it, together. */
  recordDelivered(
    subscription: string,
    eventUuid: string,
    replayId: Buffer | undefined,
    lagMs: number | null,
    retries: number,
  ): Promise<void>
  /** A redelivered event whose key already succeeded: skipped, and the checkpoint moves past it. */
  recordDuplicate(subscription: string, replayId: Buffer): Promise<void>
  /** Every attempt failed: keep the event for `relay dlq` and move past it, together. */
  recordDeadLetter(subscription: string, entry: DeadLetterEntry): Promise<void>
  setState(subscription: string, state: SubscriptionState, lastError?: string | null): Promise<void>
  setLatestReplayId(subscription: string, replayId: Buffer): Promise<void>
  /** Ledger entries older than the dedupe window go; the window outlives the replay retention. */
  pruneDelivered(windowMs: number): Promise<number>
  statuses(): Promise<SubscriptionStatus[]>
  deadLetters(subscription?: string): Promise<DeadLetter[]>
  deadLetter(id: number): Promise<DeadLetter | undefined>
  /** A dead letter retried successfully: it leaves the store and its key joins the ledger. */
  resolveDeadLetter(id: number, subscription: string, eventUuid: string): Promise<void>
  dropDeadLetter(id: number): Promise<boolean>
  /** Answers when the store is reachable; throws otherwise (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** A dead letter's row as both stores keep it (the event as JSON text). */
export function deadLetterOf(r: Record<string, unknown>): DeadLetter {
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

/** A status row joined with its checkpoint, as both stores select it. */
export function statusOf(r: Record<string, unknown>): SubscriptionStatus {
  const hex = (v: unknown) =>
    v === null || v === undefined ? null : Buffer.from(v as Uint8Array).toString('hex')
  return {
    subscription: String(r.subscription),
    state: r.state as SubscriptionState,
    lastError: (r.last_error as string | null) ?? null,
    replayId: hex(r.checkpoint),
    latestReplayId: hex(r.latest_replay_id),
    lagMs: r.lag_ms === null || r.lag_ms === undefined ? null : Number(r.lag_ms),
    delivered: Number(r.delivered),
    retried: Number(r.retried),
    deadLettered: Number(r.dead_lettered),
    duplicates: Number(r.duplicates),
    updatedAt: Number(r.updated_at),
  }
}
