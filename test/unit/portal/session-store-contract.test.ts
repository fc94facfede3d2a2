import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { PostgresSessionStore } from '../../../src/portal/postgres-session-store.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { POSTGRES_SCHEMA_VERSION } from '../../../src/store/postgres-migrations.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { session, sessionStoreContract } from './session-store-contract.ts'

const TABLES = ['portal_sessions', 'portal_login_transactions']

describe('SqliteSessionStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forcegate-sessions-'))
  let n = 0
  after(() => rmSync(dir, { recursive: true, force: true }))
  sessionStoreContract({
    fresh: async () => join(dir, `sessions-${++n}.db`),
    open: async (path, secretBox) => new SqliteSessionStore({ path, secretBox }),
    async raw(path) {
      const db = new DatabaseSync(path, { readOnly: true })
      try {
        return TABLES.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join('\n')
      } finally {
        db.close()
      }
    },
  })
})

serviceSuite('PostgresSessionStore', ['postgres'], { timeout: 120_000 }, () => {
  let server: PostgresServer
  before(async () => {
    server = await PostgresServer.start()
  })
  after(() => server?.close())

  async function raw(url: string, sql: string): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await client.query(sql)
    } finally {
      await client.end()
    }
  }

  sessionStoreContract({
    fresh: () => server.createDatabase(),
    open: (url, secretBox) => PostgresSessionStore.open({ url, secretBox }),
    async raw(url) {
      const dumps: string[] = []
      for (const t of TABLES) dumps.push(JSON.stringify((await raw(url, `SELECT * FROM ${t}`)).rows))
      return dumps.join('\n')
    },
  })

  it('instances starting together migrate once, and share what they store', async () => {
    const url = await server.createDatabase()
    const box = new SecretBox(Buffer.alloc(32, 7))
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresSessionStore.open({ url, secretBox: box })),
    )
    try {
      const { rows } = await raw(url, 'SELECT version FROM forcegate_schema')
      assert.deepEqual(rows, [{ version: POSTGRES_SCHEMA_VERSION }])
      await stores[0]!.putSession(session({ key: 'shared' }))
      assert.equal((await stores[3]!.getSession('shared', 2000))?.username, 'pat@example.com')
      await stores[2]!.deleteSession('shared')
      assert.equal(await stores[1]!.getSession('shared', 2000), undefined)
    } finally {
      await Promise.all(stores.map((s) => s.close()))
    }
  })

  it('brings a database of an earlier schema (the partner store alone) to the current one, keeping its rows', async () => {
    const url = await server.createDatabase()
    const box = new SecretBox(Buffer.alloc(32, 7))
    await (await PostgresSessionStore.open({ url, secretBox: box })).close()
    await raw(url, "INSERT INTO store_meta (key, value, updated_at) VALUES ('kept', 'yes', 1)")
    // As the first schema left it: no session or relay tables, version 1.
    await raw(
      url,
      `DROP TABLE portal_sessions, portal_login_transactions, relay_checkpoints, relay_delivered,
         relay_dead_letters, relay_status; UPDATE forcegate_schema SET version = 1`,
    )
    const store = await PostgresSessionStore.open({ url, secretBox: box })
    try {
      await store.putSession(session())
      assert.ok(await store.getSession('k1', 2000))
      assert.deepEqual((await raw(url, 'SELECT version FROM forcegate_schema')).rows, [
        { version: POSTGRES_SCHEMA_VERSION },
      ])
      assert.deepEqual((await raw(url, "SELECT value FROM store_meta WHERE key = 'kept'")).rows, [
        { value: 'yes' },
      ])
      assert.equal((await raw(url, 'SELECT count(*)::int AS n FROM relay_status')).rows[0].n, 0)
    } finally {
      await store.close()
    }
  })

  it('answers ping while PostgreSQL does, refuses it while it is stopped, and answers again once it is back', async () => {
    const url = await server.createDatabase()
    const store = await PostgresSessionStore.open({
      url,
      secretBox: new SecretBox(Buffer.alloc(32, 7)),
      queryTimeoutMs: 300,
    })
    try {
      await store.putSession(session({ key: 'kept' }))
      await store.ping()
      await server.stop()
      try {
        await assert.rejects(store.ping())
      } finally {
        await server.restart()
      }
      await store.ping()
      assert.equal((await store.getSession('kept', 2000))?.displayName, 'Pat')
    } finally {
      await store.close()
    }
  })
})
