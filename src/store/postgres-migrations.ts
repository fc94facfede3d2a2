import type pg from 'pg'
import { StoreError } from './store-error.ts'

/** The channel every partner change is announced on, in the transaction that makes it. */
export const PARTNER_CHANNEL = 'forcegate_partners'

/**
 * Schema versions of the shared PostgreSQL database, applied in order at start-up by whichever
 * store opens first. 1: the partner store, the same tables as in SQLite plus a `version` per
 * partner, drawn from one sequence so that a poll for "versions above the last one seen" finds
 * every change. 2: the portal's browser sessions and login transactions, each record sealed by
 * the gateway. 3: the relay's checkpoints, delivered-event ledger, dead letters and status.
 * Never edit a shipped entry: append a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE SEQUENCE partner_versions;
  CREATE TABLE partners (
    partner_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT nextval('partner_versions')
  );
  CREATE INDEX partners_version ON partners (version);
  CREATE TABLE partner_clients (
    client_id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (partner_id),
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    contact TEXT,
    granted_scopes TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    registration_client_uri TEXT NOT NULL,
    client_id_issued_at BIGINT,
    client_secret_expires_at BIGINT,
    rotated_from TEXT,
    secret_key_id TEXT NOT NULL,
    client_secret BYTEA,
    registration_access_token BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX partner_clients_partner ON partner_clients (partner_id, created_at);
  CREATE TABLE partner_contracts (
    client_id TEXT NOT NULL REFERENCES partner_clients (client_id) ON DELETE CASCADE,
    api TEXT NOT NULL,
    scopes TEXT NOT NULL,
    usage_plan TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'suspended')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, api)
  );
  CREATE TABLE partner_events (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX partner_events_client ON partner_events (client_id, id);
  CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  `,
  `
  CREATE TABLE portal_sessions (
    key TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX portal_sessions_expiry ON portal_sessions (expires_at);
  CREATE TABLE portal_login_transactions (
    state TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX portal_login_transactions_expiry ON portal_login_transactions (expires_at);
  `,
  `
  CREATE TABLE relay_checkpoints (
    subscription TEXT PRIMARY KEY,
    replay_id BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE relay_delivered (
    subscription TEXT NOT NULL,
    event_uuid TEXT NOT NULL,
    delivered_at BIGINT NOT NULL,
    PRIMARY KEY (subscription, event_uuid)
  );
  CREATE INDEX relay_delivered_age ON relay_delivered (delivered_at);
  CREATE TABLE relay_dead_letters (
    id BIGSERIAL PRIMARY KEY,
    subscription TEXT NOT NULL,
    event_uuid TEXT NOT NULL,
    replay_id TEXT NOT NULL,
    event_json TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE relay_status (
    subscription TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    last_error TEXT,
    latest_replay_id BYTEA,
    lag_ms BIGINT,
    delivered BIGINT NOT NULL DEFAULT 0,
    retried BIGINT NOT NULL DEFAULT 0,
    dead_lettered BIGINT NOT NULL DEFAULT 0,
    duplicates BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
  );
  `,
]

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings the database to the current schema. Instances (and stores) starting together take an
 * advisory lock, so exactly one applies each migration and the others see it done.
 */
export async function migratePostgres(client: pg.PoolClient | pg.Client): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('forcegate_partner_schema'))")
    await client.query('CREATE TABLE IF NOT EXISTS forcegate_schema (version INTEGER NOT NULL)')
    const result = await client.query<{ version: number }>('SELECT version FROM forcegate_schema')
    const current = result.rows[0]?.version ?? 0
    if (current > POSTGRES_SCHEMA_VERSION)
      throw new StoreError(
        'STORE_SCHEMA_TOO_NEW',
        `the database has schema version ${current}; this version of forcegate knows up to ${POSTGRES_SCHEMA_VERSION}`,
      )
    for (let version = current; version < POSTGRES_SCHEMA_VERSION; version++)
      await client.query(MIGRATIONS[version]!)
    if (result.rows.length === 0)
      await client.query('INSERT INTO forcegate_schema (version) VALUES ($1)', [POSTGRES_SCHEMA_VERSION])
    else if (current < POSTGRES_SCHEMA_VERSION)
      await client.query('UPDATE forcegate_schema SET version = $1', [POSTGRES_SCHEMA_VERSION])
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}
