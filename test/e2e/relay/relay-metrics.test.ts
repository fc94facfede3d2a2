// The relay inside `forcegate serve` is counted in the gateway's metrics: each event received,
// delivered, retried and dead-lettered, per subscription, beside the requests its deliveries
// made to the route.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type RelayFixture, relayFixture, spawnForcegate, until } from './relay-harness.ts'

/** Samples of one metric as `{labels} value`, parsed. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const close = line.lastIndexOf('}')
    out.set(line.slice(name.length, close + 1), Number(line.slice(close + 2)))
  }
  return out
}

describe('relay metrics', () => {
  let f: RelayFixture
  before(async () => {
    f = await relayFixture({
      replay: 'earliest',
      target: { route: { path: '/orders/events' } },
      retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 40 },
      deadLetter: 'store',
    })
  })
  after(() => f.close())

  it('counts received, delivered, retried and dead-lettered events of the subscription', async () => {
    const gw = spawnForcegate([
      'serve',
      '--port',
      '0',
      '--api',
      f.api.apiFile,
      '--config',
      f.configFile,
      '--metrics-port',
      '0',
    ])
    try {
      const metricsUrl = (await gw.output.waitForLine(/^metrics: (http:\/\/\S+)$/))[1]!
      const [delivered] = await f.publish(['SO-1'])
      await until(() => f.effects.applied().includes(delivered!), 'the first delivery')
      await f.effects.setFailing(true)
      await f.publish(['SO-2'])
      let text = ''
      await until(async () => {
        text = await (await fetch(metricsUrl)).text()
        return text.includes('outcome="dead_lettered"')
      }, 'the dead letter counted')
      const relay = samples(text, 'forcegate_relay_events_total')
      assert.equal(relay.get('{subscription="orders",outcome="received"}'), 2)
      assert.equal(relay.get('{subscription="orders",outcome="delivered"}'), 1)
      assert.equal(relay.get('{subscription="orders",outcome="retried"}'), 1)
      assert.equal(relay.get('{subscription="orders",outcome="dead_lettered"}'), 1)
      // Each delivery attempt crossed the pipeline as a request to the route.
      const requests = samples(text, 'forcegate_requests_total')
      assert.equal(requests.get('{route="POST /orders/events",method="POST",status="200"}'), 1)
      assert.equal(requests.get('{route="POST /orders/events",method="POST",status="502"}'), 2)
    } finally {
      assert.equal(await gw.stop(), 0)
    }
  })
})
