import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import pg from 'pg'
import { PartnerChangeFeed, type PartnerFeedEvent } from '../../../src/partners/partner-change-feed.ts'
import { PostgresPartnerStore } from '../../../src/store/postgres-partner-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { client, keyA, SECRET, TOKEN } from '../../unit/store/partner-store-contract.ts'

/** Resolves once `done()` holds; fails with `what` after the deadline. */
async function until(done: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const started = performance.now()
  while (!done()) {
    if (performance.now() - started > deadlineMs) assert.fail(`${what} within ${deadlineMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

serviceSuite('partner change feed on PostgreSQL', ['postgres'], { timeout: 60_000 }, () => {
  let server: PostgresServer
  before(async () => {
    server = await PostgresServer.start()
  })
  after(() => server?.close())

  it('drops the changed partner, and clears everything when its LISTEN connection is cut and back', async () => {
    const url = await server.createDatabase()
    const store = await PostgresPartnerStore.open({ url, secretBox: new SecretBox(keyA) })
    const calls: string[] = []
    const events: PartnerFeedEvent['kind'][] = []
    const feed = new PartnerChangeFeed({
      url,
      source: store,
      sink: { dropPartner: (id) => calls.push(`drop ${id}`), clear: () => calls.push('clear') },
      // Long enough that only notifications and reconnections act here.
      pollMs: 300_000,
      connectTimeoutMs: 1000,
      onEvent: (event) => events.push(event.kind),
    })
    await feed.start()
    try {
      assert.deepEqual(calls, ['clear'], 'listening starts from an empty cache')
      await store.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
      await until(() => calls.includes('drop acme'), 'the insert announced')
      calls.length = 0

      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
      )
      await admin.end()
      await until(() => calls.includes('clear'), 'the cache cleared on reconnection')
      assert.ok(events.includes('lost'))
      assert.equal(events.filter((e) => e === 'listening').length, 2)
      calls.length = 0
      await store.setPartnerStatus('acme', 'suspended', 5000)
      await until(() => calls.includes('drop acme'), 'a change after the reconnection announced')
    } finally {
      await feed.close()
      await store.close()
    }
  })

  it('a poll that cannot reach the store clears the cache', async () => {
    const calls: string[] = []
    const feed = new PartnerChangeFeed({
      url: 'postgres://postgres@127.0.0.1:1/none',
      source: {
        latestVersion: async () => 0,
        changesSince: async () => {
          throw new Error('connection refused')
        },
      },
      sink: { dropPartner: (id) => calls.push(`drop ${id}`), clear: () => calls.push('clear') },
      pollMs: 100,
      connectTimeoutMs: 200,
    })
    await feed.start()
    try {
      await until(() => calls.filter((c) => c === 'clear').length >= 2, 'failed polls clear')
    } finally {
      await feed.close()
    }
  })
})
