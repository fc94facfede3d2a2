import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

// One SQLite database holds all dev org state: in memory by default, in `<dataDir>/devorg.sqlite`
// when a data directory is given so that a restart loses nothing. That folder holds client
// secrets, tokens and signing keys: only its owner may read it.
export function openDatabase(dataDir: string | undefined): DatabaseSync {
  let location = ':memory:'
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    chmodSync(dataDir, 0o700)
    location = join(dataDir, 'devorg.sqlite')
    // Created private before SQLite opens it; its -wal and -shm files take the same mode.
    closeSync(openSync(location, 'a', 0o600))
    for (const file of [location, `${location}-wal`, `${location}-shm`]) {
      if (existsSync(file)) chmodSync(file, 0o600)
    }
  }
  const db = new DatabaseSync(location)
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 2000;')
  db.exec(`
    CREATE TABLE IF NOT EXISTS oauth_models (
      model TEXT NOT NULL,
      id TEXT NOT NULL,
      payload TEXT NOT NULL,
      grant_id TEXT,
      user_code TEXT,
      uid TEXT,
      expires_at INTEGER,
      consumed_at INTEGER,
      PRIMARY KEY (model, id)
    );
    CREATE INDEX IF NOT EXISTS oauth_models_grant ON oauth_models (grant_id);
    CREATE INDEX IF NOT EXISTS oauth_models_uid ON oauth_models (model, uid);
    CREATE TABLE IF NOT EXISTS devorg_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `)
  return db
}

/** A small key-value table for keys and other generated-once settings. */
export function readSetting(db: DatabaseSync, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM devorg_settings WHERE key = ?').get(key) as
    | { value: string }
    | undefined
  return row?.value
}

export function writeSetting(db: DatabaseSync, key: string, value: string): void {
  db.prepare(
    'INSERT INTO devorg_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value)
}
