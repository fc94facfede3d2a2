// SQLite storage for records, file bodies and counters. One generic table holds every
// sObject as JSON: the dev org favours a schema that follows the seed over one that is fast.

import type { DatabaseSync } from 'node:sqlite'
import type { StoredValue } from './field-values.ts'

export type RecordData = Record<string, StoredValue>
export type BlobStream = { size: number; chunks: () => Generator<Uint8Array> }

/** File bodies are stored in rows of this size: SQLite reads a row whole. */
const BLOB_CHUNK = 1024 * 1024
export type StoredRecord = { id: string; sobject: string; data: RecordData; deleted: boolean }

export type RecordStore = {
  nextSerial(): number
  insert(id: string, sobject: string, data: RecordData, at: string): void
  update(id: string, data: RecordData, at: string): void
  markDeleted(id: string, at: string): void
  get(id: string): StoredRecord | undefined
  list(sobject: string, includeDeleted: boolean): StoredRecord[]
  isEmpty(): boolean
  putBlob(id: string, bytes: Uint8Array): void
  getBlob(id: string): Uint8Array | undefined
  /** A stored body read a chunk at a time, so a large file is never held whole to be sent. */
  blobStream(id: string): BlobStream | undefined
  getMeta(key: string): string | undefined
  setMeta(key: string, value: string): void
  /** Runs `fn` in one transaction so multi-record writes (file + document + link) are atomic. */
  transaction<T>(fn: () => T): T
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sobject_records (
  id TEXT PRIMARY KEY,
  sobject TEXT NOT NULL,
  data TEXT NOT NULL,
  created TEXT NOT NULL,
  modified TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sobject_records_by_type ON sobject_records (sobject, deleted);
CREATE TABLE IF NOT EXISTS sobject_blobs (id TEXT PRIMARY KEY, bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sobject_blob_chunks (
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (id, seq)
);
CREATE TABLE IF NOT EXISTS sobject_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`

type Row = { id: string; sobject: string; data: string; deleted: number }

function toRecord(row: Row): StoredRecord {
  return {
    id: row.id,
    sobject: row.sobject,
    data: JSON.parse(row.data) as RecordData,
    deleted: row.deleted === 1,
  }
}

export function createRecordStore(db: DatabaseSync): RecordStore {
  db.exec(SCHEMA)
  const insertStmt = db.prepare(
    'INSERT INTO sobject_records (id, sobject, data, created, modified) VALUES (?, ?, ?, ?, ?)',
  )
  const updateStmt = db.prepare('UPDATE sobject_records SET data = ?, modified = ? WHERE id = ?')
  const deleteStmt = db.prepare('UPDATE sobject_records SET deleted = 1, modified = ? WHERE id = ?')
  const getStmt = db.prepare('SELECT id, sobject, data, deleted FROM sobject_records WHERE id = ?')
  const listStmt = db.prepare(
    'SELECT id, sobject, data, deleted FROM sobject_records WHERE sobject = ? AND deleted <= ? ORDER BY rowid',
  )
  const anyStmt = db.prepare('SELECT 1 AS one FROM sobject_records LIMIT 1')
  // Bodies stored before chunking stay in sobject_blobs and are still read from there.
  const getBlobStmt = db.prepare('SELECT bytes FROM sobject_blobs WHERE id = ?')
  const dropChunksStmt = db.prepare('DELETE FROM sobject_blob_chunks WHERE id = ?')
  const putChunkStmt = db.prepare('INSERT INTO sobject_blob_chunks (id, seq, bytes) VALUES (?, ?, ?)')
  const chunkSizesStmt = db.prepare(
    'SELECT COUNT(*) AS n, COALESCE(SUM(length(bytes)), 0) AS size FROM sobject_blob_chunks WHERE id = ?',
  )
  const getChunkStmt = db.prepare('SELECT bytes FROM sobject_blob_chunks WHERE id = ? AND seq = ?')
  const getMetaStmt = db.prepare('SELECT value FROM sobject_meta WHERE key = ?')
  const setMetaStmt = db.prepare('INSERT OR REPLACE INTO sobject_meta (key, value) VALUES (?, ?)')
  let depth = 0

  const store: RecordStore = {
    nextSerial() {
      const next = Number(store.getMeta('serial') ?? '0') + 1
      store.setMeta('serial', String(next))
      return next
    },
    insert(id, sobject, data, at) {
      insertStmt.run(id, sobject, JSON.stringify(data), at, at)
    },
    update(id, data, at) {
      updateStmt.run(JSON.stringify(data), at, id)
    },
    markDeleted(id, at) {
      deleteStmt.run(at, id)
    },
    get(id) {
      const row = getStmt.get(id) as Row | undefined
      return row ? toRecord(row) : undefined
    },
    list(sobject, includeDeleted) {
      return (listStmt.all(sobject, includeDeleted ? 1 : 0) as Row[]).map(toRecord)
    },
    isEmpty: () => anyStmt.get() === undefined,
    putBlob(id, bytes) {
      dropChunksStmt.run(id)
      for (let seq = 0, at = 0; at < bytes.length || seq === 0; seq++, at += BLOB_CHUNK) {
        putChunkStmt.run(id, seq, bytes.subarray(at, at + BLOB_CHUNK))
      }
    },
    getBlob(id) {
      const stream = store.blobStream(id)
      return stream ? Buffer.concat([...stream.chunks()]) : undefined
    },
    blobStream(id) {
      const { n, size } = chunkSizesStmt.get(id) as { n: number; size: number }
      if (n === 0) {
        const legacy = (getBlobStmt.get(id) as { bytes: Uint8Array } | undefined)?.bytes
        return (
          legacy && {
            size: legacy.length,
            chunks: function* () {
              yield legacy
            },
          }
        )
      }
      return {
        size,
        chunks: function* () {
          for (let seq = 0; seq < n; seq++) {
            const row = getChunkStmt.get(id, seq) as { bytes: Uint8Array } | undefined
            if (!row) return
            yield row.bytes
          }
        },
      }
    },
    getMeta(key) {
      const row = getMetaStmt.get(key) as { value: string } | undefined
      return row?.value
    },
    setMeta(key, value) {
      setMetaStmt.run(key, value)
    },
    transaction(fn) {
      // A savepoint, not BEGIN: the database is shared with the rest of the dev org, and a
      // savepoint nests inside a transaction someone else may have open.
      const name = `rest_tx_${++depth}`
      db.exec(`SAVEPOINT ${name}`)
      try {
        const out = fn()
        db.exec(`RELEASE ${name}`)
        return out
      } catch (err) {
        db.exec(`ROLLBACK TO ${name}`)
        db.exec(`RELEASE ${name}`)
        throw err
      } finally {
        depth--
      }
    },
  }
  return store
}
