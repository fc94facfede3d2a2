// Fault switches that clear by themselves, for clients that back off and retry: the next N
// REST calls answer 403 REQUEST_LIMIT_EXCEEDED or 503 SERVER_UNAVAILABLE in Salesforce's
// shape, then the org serves again. Switched over the admin endpoint of a started org.

import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { type SeededOrg, startSeededOrg } from './seeded-org.ts'

let s: SeededOrg
before(async () => {
  s = await startSeededOrg()
})
after(() => s.close())

const setFaults = async (patch: object) => {
  const res = await fetch(`${s.org.url}/__devorg/faults`, { method: 'POST', body: JSON.stringify(patch) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const limits = () => s.call(s.tokens.integration, 'GET', '/limits')

it('requestLimitExceededNext: the next calls answer 403 with Salesforce body and usage header, then 200', async () => {
  assert.equal((await setFaults({ requestLimitExceededNext: 2 })).status, 200)
  for (let i = 0; i < 2; i++) {
    const r = await limits()
    assert.equal(r.status, 403)
    assert.deepEqual(r.json, [
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ])
    assert.match(r.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/15000$/)
  }
  assert.equal((await limits()).status, 200)
  assert.equal(s.org.faults.requestLimitExceededNext, 0)
})

it('unavailableNext: the next calls answer 503 SERVER_UNAVAILABLE, then the org serves again', async () => {
  await setFaults({ unavailableNext: 1 })
  const r = await limits()
  assert.equal(r.status, 503)
  assert.equal((r.json as { errorCode: string }[])[0]?.errorCode, 'SERVER_UNAVAILABLE')
  assert.equal((await limits()).status, 200)
})

it('a client that retries 503s (jsforce does) gets through once the outage clears', async () => {
  s.org.faults.unavailableNext = 2
  assert.equal((await s.integration.query('SELECT Id FROM Account')).totalSize, 3)
  assert.equal(s.org.faults.unavailableNext, 0)
})

it('bad counts are refused by the admin endpoint', async () => {
  for (const bad of [
    { unavailableNext: -1 },
    { requestLimitExceededNext: 1.5 },
    { requestLimitExceededNext: true },
  ]) {
    const r = await setFaults(bad)
    assert.equal(r.status, 400, JSON.stringify(bad))
  }
})
