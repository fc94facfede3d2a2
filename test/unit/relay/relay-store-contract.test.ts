import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { PostgresRelayStore } from '../../../src/relay/postgres-relay-store.ts'
import type { RelayStore } from '../../../src/relay/relay-store.ts'
import { SqliteRelayStore } from '../../../src/relay/sqlite-relay-store.ts'
import { migratePostgres } from '../../../src/store/postgres-migrations.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'

const replay = (n: number) => Buffer.from([0, 0, 0, 0, 0, 0, 0, n])

/** What every relay store promises, whatever holds the rows; `open` gets a fresh store on a clock. */
function relayStoreContract(open: (clock: () => number) => Promise<RelayStore>): void {
  it('moves the ledger, the checkpoint and the counters together, and reads them back', async () => {
    const store = await open(() => 1000)
    try {
      assert.equal(await store.checkpoint('orders'), undefined)
      await store.setLatestReplayId('orders', replay(9))
      await store.recordDelivered('orders', 'uuid-1', replay(1), 40, 2)
      await store.recordDelivered('orders', 'uuid-2', replay(2), 10, 0)
      await store.recordDuplicate('orders', replay(3))
      await store.recordDeadLetter('orders', {
        eventUuid: 'uuid-4',
        replayId: replay(4),
        event: { topic: '/event/Order_Event__e', payload: { n: 4 } },
        error: 'refused',
        attempts: 3,
      })
      assert.deepEqual(await store.checkpoint('orders'), replay(4))
      assert.equal(await store.wasDelivered('orders', 'uuid-1'), true)
      assert.equal(await store.wasDelivered('orders', 'uuid-4'), false)
      assert.equal(await store.wasDelivered('other', 'uuid-1'), false, 'the ledger is per subscription')
      await store.setState('orders', 'running')
      const [status] = await store.statuses()
      assert.deepEqual(status, {
        subscription: 'orders',
        state: 'running',
        lastError: null,
        replayId: replay(4).toString('hex'),
        latestReplayId: replay(9).toString('hex'),
        lagMs: 10,
        delivered: 2,
        retried: 4,
        deadLettered: 1,
        duplicates: 1,
        updatedAt: 1000,
      })
      const [letter] = await store.deadLetters('orders')
      assert.equal(letter?.eventUuid, 'uuid-4')
      assert.deepEqual(letter?.event, { topic: '/event/Order_Event__e', payload: { n: 4 } })
      assert.deepEqual(await store.deadLetter(letter!.id), letter)
      assert.deepEqual(await store.deadLetters('other'), [])
      await store.resolveDeadLetter(letter!.id, 'orders', 'uuid-4')
      assert.deepEqual(await store.deadLetters(), [])
      assert.equal(await store.wasDelivered('orders', 'uuid-4'), true)
      assert.equal((await store.statuses())[0]?.delivered, 3)
      assert.equal(await store.dropDeadLetter(letter!.id), false)
      await store.setState('orders', 'failed', 'the org refused replay id 00')
      assert.equal((await store.statuses())[0]?.lastError, 'the org refused replay id 00')
      await store.clearCheckpoint('orders')
      assert.equal(await store.checkpoint('orders'), undefined)
    } finally {
      await store.close()
    }
  })

  it('forgets ledger entries older than the window', async () => {
    let now = 1000
    const store = await open(() => now)
    try {
      await store.recordDelivered('orders', 'old', undefined, null, 0)
      now = 5000
      await store.recordDelivered('orders', 'new', replay(2), null, 0)
      assert.equal(await store.pruneDelivered(2000), 1)
      assert.equal(await store.wasDelivered('orders', 'old'), false)
      assert.equal(await store.wasDelivered('orders', 'new'), true)
    } finally {
      await store.close()
    }
  })
}

describe('SqliteRelayStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forcegate-relay-'))
  let n = 0
  after(() => rmSync(dir, { recursive: true, force: true }))
  relayStoreContract(async (clock) => new SqliteRelayStore(join(dir, `relay-${++n}.db`), clock))

  it('grants a claim at once (one process runs the relay)', async () => {
    const store: RelayStore = new SqliteRelayStore(join(dir, 'claims.db'))
    const first = await store.claim('orders', new AbortController().signal)
    const second = await store.claim('orders', new AbortController().signal)
    await first.release()
    await second.release()
    await store.close()
  })
})

serviceSuite('PostgresRelayStore', ['postgres'], { timeout: 120_000 }, () => {
  let server: PostgresServer
  before(async () => {
    server = await PostgresServer.start()
  })
  after(() => server?.close())

  relayStoreContract(async (clock) =>
    PostgresRelayStore.open({ url: await server.createDatabase(), migrate: migratePostgres, clock }),
  )

  it('lets one store at a time hold a subscription; the next gets it when the holder releases or its session ends', async () => {
    const url = await server.createDatabase()
    const stores = await Promise.all(
      [0, 1].map(() => PostgresRelayStore.open({ url, migrate: migratePostgres, claimRetryMs: 50 })),
    )
    const [a, b] = stores as [PostgresRelayStore, PostgresRelayStore]
    try {
      const held = await a.claim('orders', new AbortController().signal)
      // Another subscription is not held back by it.
      await (await b.claim('invoices', new AbortController().signal)).release()
      let standby = false
      let granted = false
      const waiting = b
        .claim('orders', new AbortController().signal, () => {
          standby = true
        })
        .then((claim) => {
          granted = true
          return claim
        })
      await until(() => standby)
      assert.equal(granted, false)
      await held.release()
      const next = await waiting
      assert.equal(granted, true)

      // The holder's session ending (the process or its connection gone) hands the claim over.
      const lost: Error[] = []
      next.onLost((error) => lost.push(error))
      const third = a.claim('orders', new AbortController().signal)
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND d.datname = current_database()`,
      )
      await admin.end()
      await (await third).release()
      await until(() => lost.length === 1)

      // A wait is abandoned when its signal aborts.
      const holder = await b.claim('orders', new AbortController().signal)
      const abort = new AbortController()
      const abandoned = a.claim('orders', abort.signal)
      abort.abort()
      await assert.rejects(abandoned)
      await holder.release()
    } finally {
      await Promise.all(stores.map((s) => s.close()))
    }
  })
})

serviceSuite('PostgresRelayStore claims and silent connections', ['postgres'], { timeout: 120_000 }, () => {
  let server: PostgresServer
  before(async () => {
    server = await PostgresServer.start()
  })
  after(() => server?.close())

  it('gives a claim up when its connection stops answering, before PostgreSQL could hand it on', async () => {
    const url = await server.createDatabase()
    const store = await PostgresRelayStore.open({
      url,
      migrate: migratePostgres,
      queryTimeoutMs: 200,
      claimHeartbeatMs: 100,
    })
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    let pid: number | undefined
    try {
      const claim = await store.claim('orders', new AbortController().signal)
      const lost: Error[] = []
      claim.onLost((error) => lost.push(error))
      const { rows } = await admin.query(
        `SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`,
      )
      pid = Number(rows[0].pid)
      // The backend holding the lock stops answering, as behind a network partition.
      process.kill(pid, 'SIGSTOP')
      await until(() => lost.length === 1)
      assert.match(lost[0]!.message, /did not answer within 200 ms/)
      const { rows: still } = await admin.query(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted",
      )
      assert.equal(still[0].n, 1, 'the lock is still held server side: the holder stopped first')
    } finally {
      if (pid !== undefined) process.kill(pid, 'SIGCONT')
      await admin.end()
      await store.close()
    }
  })
})

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10))
  assert.ok(predicate())
}
