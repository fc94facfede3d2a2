// What moves the relay's checkpoint and what the ledger forgets: a keepalive alone (nothing
// delivered) moves the checkpoint to the org's latest replay id, so a restart does not replay
// what came before; delivered EventUuids are pruned once older than the dedupe window, and
// kept (a replay skips them) while inside it.

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { REPLAY_RETENTION_MS } from '../../../src/config/relay-schema.ts'
import { type RelayFixture, relayFixture, relayInProcess, runRelay, until } from './relay-harness.ts'

const LAMBDA = {
  target: { lambda: { function: 'bridge-sink' } },
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
}

function checkpointOf(f: RelayFixture): string | undefined {
  const path = join(f.api.dir, 'state', 'relay.db')
  if (!existsSync(path)) return undefined
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const row = db.prepare('SELECT replay_id FROM checkpoints').get() as { replay_id: Uint8Array } | undefined
    return row === undefined ? undefined : Buffer.from(row.replay_id).toString('hex')
  } catch {
    return undefined // the relay has not created its tables yet
  } finally {
    db.close()
  }
}

describe('keepalive checkpoints', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture({ ...LAMBDA, replay: 'earliest' })
  })
  after(() => f.close())

  it('a keepalive alone moves the checkpoint past events never delivered; a restart resumes after it', async () => {
    // Published before the relay ever ran, then skipped: it starts from latest.
    await f.publish(['OLD-1', 'OLD-2'])
    await f.writeConfig({ ...LAMBDA, replay: 'latest' })
    let relay = runRelay(f)
    try {
      // The org's keepalive (every 200 ms here) carries its latest replay id.
      await until(() => checkpointOf(f) !== undefined, 'a checkpoint from a keepalive')
      assert.deepEqual(f.effects.invocations(), [], 'nothing was delivered')
    } finally {
      assert.equal(await relay.stop(), 0)
    }
    const fromKeepalive = checkpointOf(f)!
    assert.match(fromKeepalive, /^[0-9a-f]{16}$/)
    // With earliest configured, only the checkpoint keeps the old events from being delivered.
    await f.writeConfig({ ...LAMBDA, replay: 'earliest' })
    const [fresh] = await f.publish(['NEW-1'])
    relay = runRelay(f)
    try {
      await until(() => f.effects.applied().includes(fresh!), 'the new event')
      assert.deepEqual(f.effects.invocations(), [fresh], 'resumed after the keepalive checkpoint')
    } finally {
      await relay.stop()
    }
    assert.notEqual(checkpointOf(f), fromKeepalive)
  })
})

describe('the dedupe ledger and its window', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture({ ...LAMBDA, replay: 'earliest' })
  })
  after(() => f.close())

  it('keeps delivered EventUuids for the window (a replay skips them) and prunes them after', async () => {
    const window = REPLAY_RETENTION_MS + 3_600_000
    let offset = 0
    const clock = () => Date.now() + offset
    let r = await relayInProcess(f, { clock })
    let uuids: string[]
    try {
      uuids = await f.publish(['SO-1', 'SO-2'])
      await until(() => f.effects.applied().length === 2, 'two effects')
    } finally {
      await r.close()
    }
    const replayAll = () => {
      const db = new DatabaseSync(join(f.api.dir, 'state', 'relay.db'))
      db.exec('DELETE FROM checkpoints')
      db.close()
    }

    // Inside the window: the relay prunes at start and keeps both; replayed, both are skipped.
    offset = window - 60_000
    replayAll()
    r = await relayInProcess(f, { clock })
    try {
      for (const u of uuids) assert.ok(await r.relay.store.wasDelivered('orders', u))
      await until(async () => (await r.relay.store.statuses())[0]?.duplicates === 2, 'two duplicates')
      assert.equal(f.effects.invocations().length, 2, 'no redelivery inside the window')
    } finally {
      await r.close()
    }

    // Past the window: forgotten at start, so a replay (which the org would no longer serve
    // past its retention) reaches the target again.
    offset = window + 60_000
    replayAll()
    r = await relayInProcess(f, { clock })
    try {
      for (const u of uuids) assert.ok(!(await r.relay.store.wasDelivered('orders', u)))
      await until(() => f.effects.invocations().length === 4, 'the replayed events')
    } finally {
      await r.close()
    }
  })
})
