import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { RedisServer } from '../../helpers/redis-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { GatewayFleet } from './gateway-fleet.ts'

const QUOTA = 7
const RATE = 2
const BURST = 5
/** The default changePollMs: a change reaches every instance within it. */
const BOUND_MS = 5000

/**
 * Three `forcegate serve` processes, one Redis, one PostgreSQL, requests spread round-robin
 * over all three: the quota is exact in total, the throttle holds across the fleet, and a
 * partner suspended, rotated or deleted through one instance is refused by all three within the
 * bound.
 */
serviceSuite(
  'three gateway processes sharing Redis and PostgreSQL',
  ['redis', 'postgres'],
  { timeout: 180_000 },
  () => {
    let org: DevOrg
    let redis: RedisServer
    let postgres: PostgresServer
    let fleet: GatewayFleet

    before(async () => {
      redis = await RedisServer.start()
      postgres = await PostgresServer.start()
      org = await startDevOrg({ port: 0 })
      fleet = await GatewayFleet.start({
        name: 'TP',
        org,
        redisUrl: redis.url,
        postgresUrl: await postgres.createDatabase(),
        onStoreError: 'closed',
        commandTimeoutMs: 250,
        queryTimeoutMs: 1000,
        usagePlans: [
          '- name: daily',
          `  quota: { limit: ${QUOTA}, period: DAY }`,
          '- name: bursty',
          `  throttle: { rateLimit: ${RATE}, burstLimit: ${BURST} }`,
        ],
        apis: ['orders', 'stock', 'plain'],
      })
    })
    after(async () => {
      await fleet?.close()
      await org?.close()
      await redis?.close()
      await postgres?.close()
    })

    test('three processes, none of them this one', () => {
      assert.equal(new Set(fleet.pids).size, 3)
      assert.ok(!fleet.pids.includes(process.pid))
    })

    test(`a plan of ${QUOTA} calls a day admits exactly ${QUOTA} in total, requests spread over all three`, async () => {
      const token = await fleet.tokenFor(
        await fleet.register(0, 'Quota Co', [{ api: 'orders', usagePlan: 'daily' }]),
      )
      const answers = await Promise.all(
        Array.from({ length: 45 }, (_, i) => fleet.call(i, '/orders/1', token)),
      )
      const statuses = answers.map((a) => a.status)
      assert.equal(statuses.filter((s) => s === 200).length, QUOTA, statuses.join(' '))
      assert.equal(statuses.filter((s) => s === 429).length, 45 - QUOTA, statuses.join(' '))
      // Each instance refuses once the fleet has spent the quota, whichever admitted the calls.
      for (let i = 0; i < 3; i++) {
        const later = await fleet.call(i, '/orders/1', token)
        assert.equal(later.status, 429)
        assert.equal(later.headers.get('ratelimit-limit'), String(QUOTA))
        assert.equal(later.headers.get('ratelimit-remaining'), '0')
      }
    })

    test(`a burst admits no more than the bucket allows across instances (${BURST} + ${RATE}/s × Δt)`, async (t) => {
      const token = await fleet.tokenFor(
        await fleet.register(1, 'Burst Co', [{ api: 'stock', usagePlan: 'bursty' }]),
      )
      let admitted = 0
      let refused = 0
      let next = 0
      const started = performance.now()
      // Six callers in a closed loop for about two seconds, each request to the next instance.
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          while (performance.now() - started < 2000) {
            const answer = await fleet.call(next++, '/stock/1', token)
            if (answer.status === 200) admitted++
            else if (answer.status === 429) refused++
            else assert.fail(`unexpected ${answer.status} ${answer.body}`)
          }
        }),
      )
      const elapsedSeconds = (performance.now() - started) / 1000
      const allowed = BURST + RATE * elapsedSeconds
      assert.ok(
        admitted <= Math.floor(allowed),
        `admitted ${admitted} in ${elapsedSeconds} s, allowed ${allowed}`,
      )
      // The whole bucket was there to take: refusals only came once it was spent.
      t.diagnostic(`admitted ${admitted}, refused ${refused} in ${elapsedSeconds.toFixed(2)} s`)
      assert.ok(admitted >= BURST, `admitted ${admitted}`)
      assert.ok(refused > 0)
    })

    test(`a partner suspended through one instance is refused by all three within ${BOUND_MS} ms`, async (t) => {
      const credentials = await fleet.register(2, 'Change Co', [{ api: 'plain' }])
      let clientId = credentials.clientId
      let token = await fleet.tokenFor(credentials)
      await fleet.allAnswer('/plain/1', token, 200, 10_000)

      await fleet.admin(0, 'POST', `/${clientId}/suspend`)
      const suspended = await fleet.allAnswer('/plain/1', token, 403, BOUND_MS + 2000)
      assert.ok(suspended < BOUND_MS, `refused everywhere after ${suspended} ms`)
      await fleet.admin(1, 'POST', `/${clientId}/resume`)
      assert.ok((await fleet.allAnswer('/plain/1', token, 200, BOUND_MS + 2000)) < BOUND_MS)

      // Rotation: the old client id and secret are refused everywhere, the new ones admitted.
      const rotated = (await fleet.admin(2, 'POST', `/${clientId}/rotate`)).credentials as typeof credentials
      const old = await fleet.allAnswer('/plain/1', token, 403, BOUND_MS + 2000)
      assert.ok(old < BOUND_MS, `old client refused everywhere after ${old} ms`)
      clientId = rotated.clientId
      token = await fleet.tokenFor(rotated)
      await fleet.allAnswer('/plain/1', token, 200, BOUND_MS + 2000)

      // Deletion likewise.
      await fleet.admin(1, 'DELETE', `/${clientId}`)
      const deleted = await fleet.allAnswer('/plain/1', token, 403, BOUND_MS + 2000)
      assert.ok(deleted < BOUND_MS, `deleted client refused everywhere after ${deleted} ms`)
      t.diagnostic(
        `refused everywhere after: suspension ${suspended.toFixed(0)} ms, rotation ${old.toFixed(0)} ms, deletion ${deleted.toFixed(0)} ms`,
      )
      const listed = (await fleet.admin(0, 'GET', '')).partners as { clientId: string }[]
      assert.ok(!listed.some((p) => p.clientId === clientId))
    })
  },
)
