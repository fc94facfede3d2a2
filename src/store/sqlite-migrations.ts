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
  // Partners own clients. Existing clients belong to their contact (the portal kept the
  // registering username there) or, without one, to their name. A client an admin had
  // suspended makes its partner suspended; a suspended client that some other client was
  // rotated from is an old client the org would not delete, and stays suspended on its own.
  `
  CREATE TABLE partners (
    partner_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  ALTER TABLE partner_clients ADD COLUMN partner_id TEXT REFERENCES partners (partner_id);
  INSERT INTO partners (partner_id, status, created_at, updated_at)
    SELECT COALESCE(contact, name), 'active', MIN(created_at), MAX(updated_at)
    FROM partner_clients GROUP BY COALESCE(contact, name);
  UPDATE partner_clients SET partner_id = COALESCE(contact, name);
  CREATE TEMP TABLE suspended_by_admin AS
    SELECT c.client_id, c.partner_id FROM partner_clients c
    WHERE c.status = 'suspended'
      AND NOT EXISTS (SELECT 1 FROM partner_clients n WHERE n.rotated_from = c.client_id);
  UPDATE partners SET status = 'suspended'
    WHERE partner_id IN (SELECT partner_id FROM suspended_by_admin);
  UPDATE partner_clients SET status = 'active'
    WHERE client_id IN (SELECT client_id FROM suspended_by_admin);
  DROP TABLE suspended_by_admin;
  CREATE INDEX partner_clients_partner ON partner_clients (partner_id, created_at);
  CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
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
