// The relay with its state in PostgreSQL: `forcegate relay` processes sharing one database keep
// the checkpoint and the ledger across restarts, take turns on the subscription (one delivers,
// the other stands by and takes over when the first dies), list and retry dead letters through
// the CLI, and ride out a PostgreSQL restart without losing or repeating an event.

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import pg from 'pg'
import {
  countsOf,
  type ForcegateProcess,
  forcegate,
  type RelayFixture,
  relayFixture,
  runRelay,
  until,
} from '../../e2e/relay/relay-harness.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'

const LAMBDA = {
  replay: 'earliest',
  target: { lambda: { function: 'bridge-sink' } },
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
}

serviceSuite('the relay on PostgreSQL', ['postgres'], { timeout: 240_000 }, () => {
  let server: PostgresServer
  let url: string
  let f: RelayFixture
  const running: ForcegateProcess[] = []

  /** forcegate.yaml with the shared database (the harness writes the rest). */
  async function configure(subscription: Record<string, unknown> = LAMBDA): Promise<void> {
    await f.writeConfig(subscription)
    await appendFile(
      f.configFile,
      'stores:\n  postgres:\n    url: { env: RELAY_PG_URL }\n    queryTimeoutMs: 1000\n',
    )
  }

  async function query(sql: string): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await client.query(sql)
    } finally {
      await client.end()
    }
  }

  function relay(): ForcegateProcess {
    const p = runRelay(f)
    running.push(p)
    return p
  }

  const invokedOnce = (uuids: readonly string[]) => {
    const counts = countsOf(f.effects.invocations())
    for (const u of uuids) assert.equal(counts.get(u), 1, `${u} invoked ${counts.get(u) ?? 0} times`)
  }

  before(async () => {
    server = await PostgresServer.start()
  })
  after(() => server?.close())

  describe('one database, several relays', () => {
    before(async () => {
      url = await server.createDatabase()
      process.env.RELAY_PG_URL = url
      f = await relayFixture(LAMBDA)
      await configure()
    })
    afterEach(async () => {
      for (const p of running.splice(0)) await p.kill()
    })
    after(() => f?.close())

    it('keeps the checkpoint and the ledger in PostgreSQL across a restart; dead letters listed and retried by the CLI', async () => {
      let r = relay()
      const uuids = await f.publish(['SO-1', 'BAD-2', 'SO-3'])
      await until(() => f.effects.applied().length === 2, 'two effects')
      await r.output.waitForLine(new RegExp(`"eventUuid":"${uuids[1]}".*"outcome":"dead-lettered"`))
      assert.equal(await r.stop(), 0)
      assert.equal(existsSync(join(f.api.dir, 'state', 'relay.db')), false, 'no SQLite file beside')
      const ledger = (await query('SELECT event_uuid FROM relay_delivered ORDER BY event_uuid')).rows
      assert.deepEqual(
        ledger.map((row) => row.event_uuid),
        [uuids[0], uuids[2]].sort(),
      )
      const { rows: checkpoints } = await query('SELECT subscription, replay_id FROM relay_checkpoints')
      assert.equal(checkpoints.length, 1)
      assert.equal(checkpoints[0].subscription, 'orders')

      // Restarted with earliest configured: only the checkpoint keeps the three from coming again.
      r = relay()
      const [fresh] = await f.publish(['SO-4'])
      await until(() => f.effects.applied().includes(fresh!), 'the new event')
      assert.equal(await r.stop(), 0)
      invokedOnce([uuids[0]!, uuids[2]!, fresh!])

      const list = await forcegate(['relay', 'dlq', 'list', '--config', f.configFile, '--json'])
      assert.equal(list.code, 0, list.stderr)
      const letters = JSON.parse(list.stdout) as { id: number; eventUuid: string; attempts: number }[]
      assert.deepEqual(
        letters.map((l) => [l.eventUuid, l.attempts]),
        [[uuids[1], 3]],
      )
      const retry = ['relay', 'dlq', 'retry', String(letters[0]!.id), '--config', f.configFile]
      const functions = ['--functions', f.api.functionsDir]
      assert.equal((await forcegate([...retry, ...functions])).code, 1, 'still refused')
      await writeFile(join(f.effects.dir, 'healed'), '')
      const retried = await forcegate([...retry, ...functions])
      assert.equal(retried.code, 0, retried.stderr)
      assert.ok(f.effects.applied().includes(uuids[1]!))
      assert.match(
        (await forcegate(['relay', 'dlq', 'list', '--config', f.configFile])).stdout,
        /no dead letters/,
      )
      const status = await forcegate(['relay', 'status', '--config', f.configFile, '--json'])
      const [s] = JSON.parse(status.stdout) as { delivered: number; deadLettered: number; state: string }[]
      assert.deepEqual([s?.delivered, s?.deadLettered, s?.state], [4, 1, 'stopped'])
    })

    it('a second relay stands by while the first delivers, and takes over from its checkpoint when it dies', async () => {
      const before = f.effects.invocations().length
      const first = relay()
      await until(async () => {
        const { rows } = await query("SELECT state FROM relay_status WHERE subscription = 'orders'")
        return rows[0]?.state === 'running'
      }, 'the first relay running')
      const second = relay()
      await second.output.waitForLine(/another relay runs this subscription; standing by/)
      const status = async () => {
        const { stdout } = await forcegate(['relay', 'status', '--config', f.configFile, '--json'])
        return (JSON.parse(stdout) as { state: string }[])[0]?.state
      }
      assert.equal(await status(), 'running', 'the standby leaves the status to the relay running it')
      // The org's keepalives (every 200 ms here) refresh the running relay's status time.
      const updatedAt = async () =>
        Number(
          (await query("SELECT updated_at FROM relay_status WHERE subscription = 'orders'")).rows[0]
            .updated_at,
        )
      const seen = await updatedAt()
      await until(async () => (await updatedAt()) > seen, 'the status refreshed by a keepalive')
      const early = await f.publish(['A-1', 'A-2', 'A-3'])
      await until(() => early.every((u) => f.effects.applied().includes(u)), 'the first three')
      // Killed once it recorded them: a relay killed between the target's answer and the record
      // leaves that one event to come again (at least once), which is not what this is about.
      await until(async () => {
        const { rows } = await query('SELECT event_uuid FROM relay_delivered')
        return early.every((u) => rows.some((row) => row.event_uuid === u))
      }, 'the first three recorded')
      assert.equal(
        second.output.stdout().includes('"outcome":"delivered"'),
        false,
        'the standby delivered nothing',
      )
      assert.match(first.output.stdout(), /"outcome":"delivered"/)

      await first.kill()
      await second.output.waitForLine(/this relay runs the subscription now/)
      const late = await f.publish(['B-1', 'B-2'])
      await until(() => late.every((u) => f.effects.applied().includes(u)), 'the next two')
      assert.equal(await second.stop(), 0)
      assert.equal(await status(), 'stopped')
      invokedOnce([...early, ...late])
      assert.equal(f.effects.invocations().length - before, 5, 'nothing else was invoked')
    })

    it('PostgreSQL restarted mid-run: the relay waits, reconnects and resumes from the checkpoint', async () => {
      const before = f.effects.invocations().length
      const r = relay()
      const early = await f.publish(['C-1', 'C-2'])
      await until(() => early.every((u) => f.effects.applied().includes(u)), 'two before the restart')
      await server.stop()
      // Published while the relay cannot reach its store: none may be delivered unrecorded.
      const during = await f.publish(['D-1', 'D-2'])
      await r.output.waitForLine(
        /relay store claim ended; claiming again|subscription interrupted; reconnecting/,
      )
      await server.restart()
      await until(() => during.every((u) => f.effects.applied().includes(u)), 'the two published meanwhile')
      const late = await f.publish(['E-1'])
      await until(() => f.effects.applied().includes(late[0]!), 'one after')
      assert.equal(await r.stop(), 0)
      invokedOnce([...early, ...during, ...late])
      assert.equal(f.effects.invocations().length - before, 5)
    })

    it('PostgreSQL stopped while the target handles an event: its success is recorded once back, and the event is not delivered again', async () => {
      // Holds each event until a file named `go` appears, so PostgreSQL stops mid-delivery.
      await writeFile(
        join(f.api.functionsDir, 'held-sink.mjs'),
        `import { appendFileSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const dir = ${JSON.stringify(f.effects.dir)}
export const handler = async (event) => {
  appendFileSync(join(dir, 'invocations.log'), event.id + '\\n')
  writeFileSync(join(dir, 'started-' + event.id), '')
  while (!existsSync(join(dir, 'go'))) await new Promise((r) => setTimeout(r, 10))
  writeFileSync(join(dir, 'applied', event.id), '{}')
  return { ok: true }
}
`,
      )
      await configure({ ...LAMBDA, target: { lambda: { function: 'held-sink' } } })
      const before = f.effects.invocations().length
      const r = relay()
      const [held] = await f.publish(['F-1'])
      await until(() => existsSync(join(f.effects.dir, `started-${held}`)), 'the delivery under way')
      await server.stop()
      await writeFile(join(f.effects.dir, 'go'), '')
      await until(() => f.effects.applied().includes(held!), 'the target accepting it')
      await server.restart()
      const [next] = await f.publish(['F-2'])
      await until(() => f.effects.applied().includes(next!), 'the next event')
      assert.equal(await r.stop(), 0)
      invokedOnce([held!, next!])
      assert.equal(f.effects.invocations().length - before, 2)
      const { rows } = await query('SELECT event_uuid FROM relay_delivered')
      assert.ok(rows.some((row) => row.event_uuid === held))
    })
  })
})
