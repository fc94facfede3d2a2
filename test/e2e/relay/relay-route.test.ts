// Platform events from the dev org's REST API through `forcegate serve`'s relay to a route
// (aws_proxy → Lambda), over real processes, every case judged by the effects the Lambda
// applied (once per idempotency key) and by every invocation it logged.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { countsOf, forcegate, type RelayFixture, relayFixture, serveRelay, until } from './relay-harness.ts'

describe('relay to a route of the served API', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture({
      replay: 'earliest',
      target: { route: { path: '/orders/events' } },
      retry: { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 100 },
    })
  })
  after(() => f.close())

  it('delivers each published event through the pipeline once, with the EventUuid as Idempotency-Key', async () => {
    const gw = await serveRelay(f)
    try {
      const uuids = await f.publish(['SO-1', 'SO-2', 'SO-3'])
      await until(() => f.effects.applied().length === 3, 'three effects')
      assert.deepEqual(f.effects.applied().sort(), [...uuids].sort())
      assert.deepEqual(f.effects.invocations(), uuids, 'in publish order, each once')
      const body = f.effects.appliedBody(uuids[1]!) as {
        topic: string
        payload: Record<string, unknown>
        event: { EventUuid: string; replayId: string }
      }
      assert.equal(body.topic, '/event/Order_Event__e')
      assert.equal(body.payload.Order_Number__c, 'SO-2')
      assert.equal(body.payload.Amount__c, 10)
      assert.equal(typeof body.payload.CreatedDate, 'number')
      assert.equal(body.event.EventUuid, uuids[1])
      assert.match(body.event.replayId, /^[0-9a-f]{16}$/)
      // The access log has one line per relayed event.
      await gw.output.waitForLine(
        new RegExp(`"relay":"orders".*"eventUuid":"${uuids[2]}".*"outcome":"delivered"`),
      )
    } finally {
      assert.equal(await gw.stop(), 0)
    }
    const status = await forcegate(['relay', 'status', '--config', f.configFile, '--json'])
    assert.equal(status.code, 0, status.stderr)
    const [orders] = JSON.parse(status.stdout) as {
      subscription: string
      state: string
      delivered: number
      replayId: string
    }[]
    assert.equal(orders?.subscription, 'orders')
    assert.equal(orders?.state, 'stopped')
    assert.equal(orders?.delivered, 3)
    assert.match(orders?.replayId ?? '', /^[0-9a-f]{16}$/)
  })

  it('resumes after its checkpoint on restart: nothing published meanwhile is lost, nothing is redelivered', async () => {
    const before = f.effects.invocations().length
    const uuids = await f.publish(['SO-4', 'SO-5'])
    const gw = await serveRelay(f)
    try {
      await until(() => f.effects.invocations().length === before + 2, 'two more invocations')
      assert.deepEqual(f.effects.invocations().slice(before), uuids)
    } finally {
      await gw.stop()
    }
  })

  it('a failing target is retried with backoff until it recovers; each effect applied once', async () => {
    const gw = await serveRelay(f)
    try {
      await f.effects.setFailing(true)
      const before = f.effects.invocations().length
      const uuids = await f.publish(['SO-6', 'SO-7'])
      await until(() => f.effects.invocations().length >= before + 3, 'failed attempts')
      assert.equal(f.effects.applied().includes(uuids[0]!), false)
      await f.effects.setFailing(false)
      await until(() => uuids.every((u) => f.effects.applied().includes(u)), 'recovery')
      const counts = countsOf(f.effects.invocations().slice(before))
      assert.ok((counts.get(uuids[0]!) ?? 0) >= 2, 'the first event was attempted again')
      assert.equal(counts.get(uuids[1]!), 1, 'the second waited its turn: delivered in order, once')
      await gw.output.waitForLine(/"relay":"orders".*"msg":"relay delivery failed"/)
    } finally {
      await gw.stop()
    }
    const status = await forcegate(['relay', 'status', '--config', f.configFile])
    assert.equal(status.code, 0)
    assert.match(status.stdout, /^orders\s+stopped\s+[0-9a-f]{16}\s+\S+\s+7\s+[1-9]\d*\s+0\s+0/m)
  })

  it('the dev org going away and coming back: the relay reconnects and resumes from its checkpoint', async () => {
    const gw = await serveRelay(f)
    try {
      const first = await f.publish(['SO-8'])
      await until(() => f.effects.applied().includes(first[0]!), 'SO-8')
      await f.stopOrg()
      await gw.output.waitForLine(/"relay":"orders".*subscription interrupted; reconnecting/)
      await f.startOrg()
      const after = await f.publish(['SO-9', 'SO-10'])
      await until(() => after.every((u) => f.effects.applied().includes(u)), 'events after the restart')
      await gw.output.waitForLine(/"relay":"orders".*subscription resumed/)
      const counts = countsOf(f.effects.invocations())
      for (const u of [...first, ...after]) assert.equal(counts.get(u), 1, u)
    } finally {
      await gw.stop()
    }
  })

  it('killed with SIGKILL mid-batch and restarted: every event delivered, none applied twice', async () => {
    const before = f.effects.invocations().length
    const uuids = await f.publish(Array.from({ length: 80 }, (_, i) => `BULK-${i}`))
    let gw = await serveRelay(f)
    await until(() => f.effects.invocations().length >= before + 10, 'a part of the batch')
    await gw.kill()
    const atKill = f.effects.invocations().length - before
    assert.ok(atKill < 80, `killed mid-batch (${atKill} of 80 delivered)`)
    gw = await serveRelay(f)
    try {
      await until(() => uuids.every((u) => f.effects.applied().includes(u)), 'all 80 effects')
      const counts = countsOf(f.effects.invocations().slice(before))
      assert.deepEqual([...counts.keys()].sort(), [...uuids].sort())
      // Only the event in flight when the process died can reach the target twice (its success
      // had no time to be recorded); the idempotent target applied it once.
      const repeated = [...counts.values()].filter((n) => n > 1)
      assert.ok(repeated.length <= 1 && repeated.every((n) => n === 2), `redeliveries: ${repeated}`)
      assert.equal(new Set(f.effects.applied()).size, f.effects.applied().length)
    } finally {
      await gw.stop()
    }
  })
})
