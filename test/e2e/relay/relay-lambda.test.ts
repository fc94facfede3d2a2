// `forcegate relay` alone, delivering straight to a Lambda function in Event Relay's EventBridge
// envelope: dead letters and their commands, and a replay id the org refuses handled as
// onLostReplay says, loudly, with already-delivered events skipped by their EventUuid.

import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { countsOf, forcegate, type RelayFixture, relayFixture, runRelay, until } from './relay-harness.ts'

const LAMBDA = {
  replay: 'earliest',
  target: { lambda: { function: 'bridge-sink' } },
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
}

describe('forcegate relay to a Lambda function', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture(LAMBDA)
  })
  after(() => f.close())

  it('delivers the EventBridge envelope (detail.payload, detail-type, source); failures end in the dead-letter store', async () => {
    const relay = runRelay(f)
    try {
      const uuids = await f.publish(['SO-1', 'BAD-2', 'SO-3'])
      await until(() => f.effects.applied().length === 2, 'two effects')
      await relay.output.waitForLine(new RegExp(`"eventUuid":"${uuids[1]}".*"outcome":"dead-lettered"`))
      const envelope = f.effects.appliedBody(uuids[0]!) as Record<string, unknown> & {
        detail: { payload: Record<string, unknown>; id: string }
      }
      assert.equal(envelope['detail-type'], 'Order_Event__e')
      assert.equal(envelope.source, `aws.partner/salesforce.com/${f.org.orgId}/orders`)
      assert.equal(envelope.id, uuids[0])
      assert.equal(envelope.detail.payload.Order_Number__c, 'SO-1')
      assert.match(String(envelope.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      assert.equal(countsOf(f.effects.invocations()).get(uuids[1]!), 3, 'maxAttempts attempts')
      assert.deepEqual(f.effects.applied().sort(), [uuids[0], uuids[2]].sort())
    } finally {
      assert.equal(await relay.stop(), 0)
    }

    const list = await forcegate(['relay', 'dlq', 'list', '--config', f.configFile, '--json'])
    const letters = JSON.parse(list.stdout) as {
      id: number
      eventUuid: string
      attempts: number
      error: string
    }[]
    assert.equal(letters.length, 1)
    assert.equal(letters[0]?.attempts, 3)
    assert.match(letters[0]?.error ?? '', /order BAD-2 is refused/)
    const id = String(letters[0]!.id)
    const again = await forcegate([
      'relay',
      'dlq',
      'retry',
      id,
      '--config',
      f.configFile,
      '--functions',
      f.api.functionsDir,
    ])
    assert.equal(again.code, 1, 'still refused')
    await writeFile(join(f.effects.dir, 'healed'), '')
    const retried = await forcegate([
      'relay',
      'dlq',
      'retry',
      id,
      '--config',
      f.configFile,
      '--functions',
      f.api.functionsDir,
    ])
    assert.equal(retried.code, 0, retried.stderr)
    assert.ok(f.effects.applied().includes(letters[0]!.eventUuid))
    const empty = await forcegate(['relay', 'dlq', 'list', '--config', f.configFile])
    assert.match(empty.stdout, /no dead letters/)
    const status = await forcegate(['relay', 'status', '--config', f.configFile, '--json'])
    const [s] = JSON.parse(status.stdout) as { delivered: number; deadLettered: number; retried: number }[]
    assert.deepEqual([s?.delivered, s?.deadLettered, s?.retried], [3, 1, 2])
  })

  it('a corrupted checkpoint with onLostReplay: fail stops the relay loudly, exit 1, state failed', async () => {
    const db = new DatabaseSync(join(f.api.dir, 'state', 'relay.db'))
    db.prepare('UPDATE checkpoints SET replay_id = ?').run(Buffer.from('abc'))
    db.close()
    await f.writeConfig({ ...LAMBDA, onLostReplay: 'fail' })
    const relay = runRelay(f)
    await relay.output.waitForLine(/the org refused replay id 616263.*Set onLostReplay to earliest or latest/)
    assert.equal(await relay.exited(), 1)
    const status = await forcegate(['relay', 'status', '--config', f.configFile])
    assert.match(status.stdout, /^orders\s+failed\s+616263/m)
    assert.match(status.stdout, /orders: the org refused replay id 616263/)
  })

  it('onLostReplay: earliest resubscribes from the oldest event, skipping those already delivered', async () => {
    await f.writeConfig({ ...LAMBDA, onLostReplay: 'earliest' })
    const before = f.effects.invocations().length
    const relay = runRelay(f)
    try {
      await relay.output.waitForLine(/resubscribing from earliest as configured/)
      const [fresh] = await f.publish(['SO-4'])
      await until(() => f.effects.applied().includes(fresh!), 'the new event')
      // The three events before it were replayed by the org and dropped by their EventUuid.
      assert.deepEqual(f.effects.invocations().slice(before), [fresh])
    } finally {
      await relay.stop()
    }
    const status = await forcegate(['relay', 'status', '--config', f.configFile, '--json'])
    const [s] = JSON.parse(status.stdout) as { duplicates: number; state: string }[]
    assert.equal(s?.duplicates, 3)
    assert.equal(s?.state, 'stopped')
  })
})
