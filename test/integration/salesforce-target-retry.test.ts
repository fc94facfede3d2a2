import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseLimitInfo } from '../../src/integrations/salesforce/limit-info.ts'
import { DEFAULT_RETRY, nextDelay, transientOf } from '../../src/integrations/salesforce/retry-policy.ts'

const half = () => 0.5

test('backoff doubles with jitter and stops after the last attempt', () => {
  assert.equal(nextDelay(DEFAULT_RETRY, 0, undefined, undefined, half), 188)
  assert.equal(nextDelay(DEFAULT_RETRY, 1, undefined, undefined, half), 375)
  assert.equal(nextDelay(DEFAULT_RETRY, 2, undefined, undefined, half), 750)
  assert.equal(nextDelay(DEFAULT_RETRY, 3, undefined, undefined, half), undefined)
})

test('Sforce-Limit-Info showing the daily allowance spent: no retry at all', () => {
  const spent = parseLimitInfo('api-usage=15000/15000')
  assert.deepEqual(spent, { used: 15000, max: 15000 })
  assert.equal(nextDelay(DEFAULT_RETRY, 0, spent, undefined, half), undefined)
  assert.equal(nextDelay(DEFAULT_RETRY, 0, parseLimitInfo('api-usage=12/15000'), undefined, half), 188)
})

test('Retry-After is honoured, and one longer than the longest wait ends the retries', () => {
  assert.equal(nextDelay(DEFAULT_RETRY, 0, undefined, '2', half), 2000)
  assert.equal(nextDelay(DEFAULT_RETRY, 0, undefined, '3600', half), undefined)
})

test('what is transient: limits, 502/503, row locks; not data errors', () => {
  assert.equal(transientOf(403, 'REQUEST_LIMIT_EXCEEDED'), 'limit')
  assert.equal(transientOf(503, 'SERVER_UNAVAILABLE'), 'unavailable')
  assert.equal(transientOf(400, 'UNABLE_TO_LOCK_ROW'), 'unavailable')
  assert.equal(transientOf(400, 'DUPLICATES_DETECTED'), undefined)
  assert.equal(transientOf(300, undefined), undefined)
})
