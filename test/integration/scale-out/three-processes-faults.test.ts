import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { RedisServer } from '../../helpers/redis-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { GatewayFleet } from './gateway-fleet.ts'

const COMMAND_TIMEOUT_MS = 250
const QUERY_TIMEOUT_MS = 500
const BOUND_MS = 1000
/** What a loaded machine may add to a bounded wait; a hang is far beyond it. */
const SLACK_MS = 1000
const RATE = 3
const BURST = 6
const PATH = '/stock/1'
const QUOTA = 9

/**
 * Three `forcegate serve` processes through every store fault, in both `onStoreError` modes:
 * Redis stopped, refusing connections, restarted on the same port and frozen; PostgreSQL
 * restarted. Every request gets the configured answer within its timeout, and the processes
 * recover by themselves.
 */
for (const mode of ['closed', 'local'] as const) {
  serviceSuite(
    `three gateway processes through store faults, onStoreError: ${mode}`,
    ['redis', 'postgres'],
    { timeout: 240_000 },
    () => {
      let org: DevOrg
      let redis: RedisServer
      let postgres: PostgresServer
      let fleet: GatewayFleet
      let token: string
      let clientId: string

      before(async () => {
        redis = await RedisServer.start()
        postgres = await PostgresServer.start()
        org = await startDevOrg({ port: 0 })
        fleet = await GatewayFleet.start({
          name: `TF${mode.toUpperCase()}`,
          org,
          redisUrl: redis.url,
          postgresUrl: await postgres.createDatabase(),
          onStoreError: mode,
          commandTimeoutMs: COMMAND_TIMEOUT_MS,
          queryTimeoutMs: QUERY_TIMEOUT_MS,
          changePollMs: BOUND_MS,
          usagePlans: [
            '- name: bursty',
            `  throttle: { rateLimit: ${RATE}, burstLimit: ${BURST} }`,
            '- name: daily',
            `  quota: { limit: ${QUOTA}, period: DAY }`,
          ],
          apis: ['stock', 'orders'],
        })
        const credentials = await fleet.register(0, 'Faults Co', [
          { api: 'stock', usagePlan: 'bursty' },
          { api: 'orders', usagePlan: 'daily' },
        ])
        clientId = credentials.clientId
        token = await fleet.tokenFor(credentials)
      })
      after(async () => {
        redis?.thaw()
        postgres?.thawAll()
        await fleet?.close()
        await org?.close()
        await redis?.close()
        await postgres?.close()
      })

      /**
       * One caller per instance, each calling its instance in a loop for `windowMs`: every answer
       * must be the configured one within the command timeout. Returns what each admitted.
       */
      async function throughOutage(label: string, windowMs: number): Promise<number[]> {
        const started = performance.now()
        const admitted = await Promise.all(
          fleet.instances.map(async (_, i) => {
            let count = 0
            do {
              const answer = await fleet.call(i, PATH, token)
              assert.ok(
                answer.ms < COMMAND_TIMEOUT_MS + SLACK_MS,
                `${label}: instance ${i} answered after ${answer.ms} ms`,
              )
              if (mode === 'closed') {
                assert.equal(answer.status, 503, `${label}: ${answer.body}`)
                assert.equal(answer.headers.get('retry-after'), '3')
                assert.deepEqual(JSON.parse(answer.body), { message: 'Service Unavailable' })
              } else {
                assert.ok([200, 429].includes(answer.status), `${label}: ${answer.status} ${answer.body}`)
                if (answer.status === 200) count++
              }
            } while (performance.now() - started < windowMs)
            return count
          }),
        )
        if (mode === 'local') {
          // Each instance counts alone with a bucket of BURST/3 refilled at RATE/3 a second.
          const seconds = (performance.now() - started) / 1000
          const share = Math.floor(BURST / 3 + (RATE / 3) * seconds)
          for (const [i, n] of admitted.entries()) {
            assert.ok(n >= 1, `${label}: instance ${i} admitted nothing`)
            assert.ok(
              n <= share,
              `${label}: instance ${i} admitted ${n} in ${seconds} s, its share is ${share}`,
            )
          }
        }
        return admitted
      }

      async function readiness(i: number): Promise<{ status: number; body: unknown }> {
        const r = await fetch(`${fleet.instances[i]!.url}/_forcegate/ready`, {
          signal: AbortSignal.timeout(10_000),
        })
        return { status: r.status, body: await r.json() }
      }

      /** Every instance answers 200 again, and Redis holds the partner's counters once more. */
      async function countingInRedisAgain(): Promise<void> {
        const started = performance.now()
        // Each instance reconnects alone; in local mode it answers 200 meanwhile, so its log tells.
        await Promise.all(
          fleet.instances.map(async (instance, i) => {
            // Back once it has said so as often as it said Redis was failing.
            const said = (text: string) => instance.output().split(text).length - 1
            while (said('usage store (Redis) answering again') < said('usage store (Redis) failing')) {
              assert.ok(performance.now() - started < 15_000, `instance ${i} never counted in Redis again`)
              await fleet.call(i, PATH, token)
              await new Promise((resolve) => setTimeout(resolve, 50))
            }
          }),
        )
        await fleet.allAnswer(PATH, token, 200, 10_000)
        assert.ok(Number((await redis.command('DBSIZE')).replace(/^:/, '')) > 0, 'Redis counts again')
      }

      test('Redis stopped (SIGTERM), then refusing connections, then restarted on the same port', async () => {
        await fleet.allAnswer(PATH, token, 200, 10_000)
        const pids = fleet.pids
        await redis.stop()
        // At once after the stop, and then while the port refuses every reconnection.
        await throughOutage('stopped', 0)
        await throughOutage('refusing connections', 1500)
        for (const instance of fleet.instances) {
          const line = (await instance.waitForLine(/^.*usage store \(Redis\) failing.*$/, 5000))[0]
          assert.match(line, new RegExp(`"onStoreError":"${mode}"`))
        }
        // In closed mode a load balancer should send nothing here; in local mode they still serve.
        for (let i = 0; i < 3; i++)
          assert.deepEqual(
            await readiness(i),
            mode === 'closed'
              ? { status: 503, body: { status: 'unavailable', stores: ['redis'] } }
              : { status: 200, body: { status: 'ready' } },
          )
        await redis.restart()
        await countingInRedisAgain()
        for (let i = 0; i < 3; i++) assert.equal((await readiness(i)).status, 200)
        assert.deepEqual(fleet.pids, pids, 'no instance was restarted')
      })

      test('Redis frozen (SIGSTOP): answers within the command timeout, none hangs; back after SIGCONT', async () => {
        await fleet.allAnswer(PATH, token, 200, 10_000)
        const keysBefore = await redis.command('DBSIZE')
        redis.freeze()
        try {
          await throughOutage('frozen', 1500)
        } finally {
          redis.thaw()
        }
        assert.equal(await redis.command('DBSIZE'), keysBefore)
        // In local mode a 200 may still be the instance's own count: each must say Redis is back.
        await countingInRedisAgain()
      })

      if (mode === 'local')
        test(`local: a daily quota of ${QUOTA} admits ${QUOTA / 3} per instance while Redis is away`, async () => {
          // Redis counts one call per instance first: what it admitted before the outage.
          for (let i = 0; i < 3; i++) assert.equal((await fleet.call(i, '/orders/1', token)).status, 200)
          await redis.stop()
          try {
            for (let i = 0; i < 3; i++) {
              const statuses: number[] = []
              for (let n = 0; n < QUOTA / 3 + 3; n++)
                statuses.push((await fleet.call(i, '/orders/1', token)).status)
              // Each instance's own count: its share, then refusals, whatever the others admitted.
              assert.deepEqual(statuses, [
                ...Array<number>(QUOTA / 3).fill(200),
                ...Array<number>(3).fill(429),
              ])
            }
          } finally {
            await redis.restart()
          }
          await countingInRedisAgain()
        })

      if (mode === 'closed')
        test('PostgreSQL frozen (SIGSTOP): answers within the timeout, none hangs; back after SIGCONT', async () => {
          await fleet.allAnswer(PATH, token, 200, 10_000)
          postgres.freezeAll()
          let refused = 0
          try {
            const started = performance.now()
            await Promise.all(
              fleet.instances.map(async (_, i) => {
                while (performance.now() - started < BOUND_MS + 1500) {
                  const answer = await fleet.call(i, PATH, token)
                  assert.ok(
                    answer.ms < QUERY_TIMEOUT_MS + SLACK_MS,
                    `instance ${i} answered after ${answer.ms} ms`,
                  )
                  if (answer.status === 503) refused++
                  else assert.ok([200, 429].includes(answer.status), `${answer.status} ${answer.body}`)
                }
              }),
            )
          } finally {
            postgres.thawAll()
          }
          assert.ok(refused > 0, 'once the bound passed, nothing cached was trusted')
          await fleet.allAnswer(PATH, token, 200, 15_000)
          for (let i = 0; i < 3; i++) assert.equal((await readiness(i)).status, 200)
        })

      if (mode === 'closed')
        test('PostgreSQL restarted while the three run: answers within the timeout, no partner lost, back by itself', async () => {
          await fleet.allAnswer(PATH, token, 200, 10_000)
          const before = (await fleet.admin(1, 'GET', '')).partners
          const pids = fleet.pids
          await postgres.stop()
          // Cached decisions are trusted at most BOUND_MS; afterwards each contract needs the store.
          const started = performance.now()
          let refused = 0
          await Promise.all(
            fleet.instances.map(async (_, i) => {
              while (performance.now() - started < BOUND_MS + 1000) {
                const answer = await fleet.call(i, PATH, token)
                assert.ok(
                  answer.ms < QUERY_TIMEOUT_MS + SLACK_MS,
                  `instance ${i} answered after ${answer.ms} ms`,
                )
                if (answer.status === 503) {
                  refused++
                  assert.equal(answer.headers.get('retry-after'), '1')
                  assert.deepEqual(JSON.parse(answer.body), { message: 'Service Unavailable' })
                } else assert.ok([200, 429].includes(answer.status), `${answer.status} ${answer.body}`)
              }
            }),
          )
          assert.ok(refused > 0, 'once the bound passed, the store was asked and its absence answered')
          // A change asked for meanwhile is refused within the timeout, not queued for later.
          const writeStarted = performance.now()
          const write = await fetch(`${fleet.instances[1]!.url}/_forcegate/partners/${clientId}/suspend`, {
            method: 'POST',
            headers: { authorization: `Bearer ${fleet.adminToken}` },
            signal: AbortSignal.timeout(15_000),
          })
          const writeMs = performance.now() - writeStarted
          assert.ok(write.status >= 500, `${write.status} ${await write.text()}`)
          assert.ok(writeMs < QUERY_TIMEOUT_MS + SLACK_MS, `the admin API answered after ${writeMs} ms`)
          for (let i = 0; i < 3; i++) assert.equal((await readiness(i)).status, 503)
          await postgres.restart()
          await fleet.allAnswer(PATH, token, 200, 15_000)
          for (let i = 0; i < 3; i++) {
            assert.equal((await readiness(i)).status, 200)
            assert.deepEqual((await fleet.admin(i, 'GET', '')).partners, before, 'no partner lost')
          }
          // Each instance listens again: a suspension reaches all three within the bound.
          await fleet.admin(2, 'POST', `/${clientId}/suspend`)
          assert.ok((await fleet.allAnswer(PATH, token, 403, BOUND_MS + 2000)) < BOUND_MS + 500)
          await fleet.admin(0, 'POST', `/${clientId}/resume`)
          await fleet.allAnswer(PATH, token, 200, BOUND_MS + 2000)
          assert.deepEqual(fleet.pids, pids, 'no instance was restarted')
        })
    },
  )
}
