// The relay to a non-proxy (`type: aws`) route over real processes: the route's mapping template
// reshapes each event for the Lambda, and the key reaches the function only as
// `$context.idempotencyKey` (forcegate's $context variable, the Idempotency-Key header).

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { countsOf, type RelayFixture, relayFixture, serveRelay, until } from './relay-harness.ts'

describe('relay to a type: aws route with a mapping template', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture({
      replay: 'earliest',
      target: { route: { path: '/orders/mapped' } },
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    })
  })
  after(() => f.close())

  it('the template reshapes each event and hands the Lambda the EventUuid from $context.idempotencyKey', async () => {
    const gw = await serveRelay(f)
    try {
      const uuids = await f.publish(['SO-1', 'SO-2'])
      await until(() => f.effects.applied().length === 2, 'two effects')
      assert.deepEqual(f.effects.applied().sort(), [...uuids].sort())
      assert.deepEqual(countsOf(f.effects.invocations()), new Map(uuids.map((u) => [u, 1])))
      const input = f.effects.appliedBody(uuids[1]!)
      assert.equal(input.key, uuids[1])
      assert.equal(input.order, 'SO-2')
      assert.equal(input.status, 'Placed')
      assert.equal(input.amount, 10)
      assert.match(String(input.replayId), /^[0-9a-f]{16}$/)
    } finally {
      assert.equal(await gw.stop(), 0)
    }
  })
})
