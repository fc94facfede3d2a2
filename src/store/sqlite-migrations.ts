import type { DatabaseSync } from 'node:sqlite'
import { StoreError } from './store-error.ts'

/**
 * Schema versions of the partner database, applied in order. `PRAGMA user_version` records the
 * last one applied, so opening an existing file only runs what is new. Never edit a shipped
 * entry: append a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS partner_clients (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    contact TEXT,
    granted_scopes TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    registration_client_uri TEXT NOT NULL,
    client_id_issued_at INTEGER,
    client_secret_expires_at INTEGER,
    rotated_from TEXT,
    secret_key_id TEXT NOT NULL,
    client_secret BLOB,
    registration_access_token BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS partner_contracts (
    client_id TEXT NOT NULL REFERENCES partner_clients (client_id) ON DELETE CASCADE,
    api TEXT NOT NULL,
    scopes TEXT NOT NULL,
    usage_plan TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'suspended')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, api)
  );
  CREATE TABLE IF NOT EXISTS partner_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX IF NOT EXISTS partner_events_client ON partner_events (client_id, id);
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

export function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined
  const current = row?.user_version ?? 0
  if (current > SCHEMA_VERSION)
    throw new StoreError(
      'STORE_SCHEMA_TOO_NEW',
      `partner database has schema version ${current}; this version of forcegate knows up to ${SCHEMA_VERSION}`,
    )
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.exec('BEGIN IMMEDIATE')
    try {
      db.exec(MIGRATIONS[version]!)
      // PRAGMA takes no bound parameters; the value is an integer we computed.
      db.exec(`PRAGMA user_version = ${version + 1}`)
      db.exec('COMMIT')
    } catch (error) {
      db.exec('ROLLBACK')
      throw error
    }
  }
}
