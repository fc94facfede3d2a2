import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { type ServingCli, serveCli } from '../helpers/cli-process.ts'

const SAMPLE = readFileSync(
  new URL('../../examples/mapping-templates/orders.sample.json', import.meta.url),
  'utf8',
)

describe('examples/mapping-templates over real HTTP', () => {
  let gw: ServingCli
  before(async () => {
    gw = await serveCli(['--api', 'examples/mapping-templates/openapi.yaml'])
  })
  after(async () => {
    await gw.stop()
  })
  const post = (body: string): Promise<Response> =>
    fetch(`${gw.url}/order-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

  test('the route table shows each route with its templates', () => {
    assert.match(gw.output(), /POST \/order-events\s+.*integrate\[lambda order-events/)
    assert.match(gw.output(), /request templates: application\/json \(passthrough WHEN_NO_TEMPLATES\)/)
    assert.match(gw.output(), /response Rejected: \.\* → 422: templates application\/json/)
  })

  test('the platform event is reshaped for the function and its answer for the client (202)', async () => {
    const res = await post(SAMPLE)
    assert.equal(res.status, 202)
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.deepEqual(await res.json(), { accepted: true, orderNumber: '00001042', next: 'ship' })
  })

  test("the function's error matches 'Rejected: .*' and becomes a 422 shaped by its template", async () => {
    const res = await post(SAMPLE.replace('"Paid"', '"Lost"'))
    assert.equal(res.status, 422)
    assert.deepEqual(await res.json(), { accepted: false, reason: 'unknown status Lost' })
  })

  test('an event without an order number is refused by the validator before the function runs', async () => {
    const res = await post(SAMPLE.replace('"OrderNumber__c": "00001042",', ''))
    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), { message: 'Invalid request body' })
  })

  test('another media type is 415 (passthroughBehavior WHEN_NO_TEMPLATES)', async () => {
    const res = await fetch(`${gw.url}/order-events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    })
    assert.equal(res.status, 415)
    assert.deepEqual(await res.json(), { message: 'Unsupported Media Type' })
  })

  test('the health check is a mock', async () => {
    const res = await fetch(`${gw.url}/order-events/health`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { status: 'ok', stage: 'dev' })
  })
})
