import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { trailTable } from '../../../src/portal/trail-table.ts'

const allowed = {
  steps: [
    { step: 'route', detail: { routeKey: 'GET /orders/{id}' } },
    { step: 'scopes', detail: { required: ['api'], ok: true } },
    { step: 'org_prefix', detail: { expected: '00D', match: false } },
  ],
  status: 200,
  outcome: 'allowed: the request would reach aws_proxy',
}

describe('the decision trail as a table', () => {
  it('reads each step as a decision and its details', () => {
    const { rows } = trailTable(allowed, 200)
    assert.deepEqual(rows[0], { step: 'route', decision: '', details: [['routeKey', 'GET /orders/{id}']] })
    assert.deepEqual(rows[1], { step: 'scopes', decision: 'passed', details: [['required', '["api"]']] })
    assert.equal(rows[2]?.decision, 'no match')
  })

  it('gives the real status when the gateway let the request through, never "would reach"', () => {
    assert.deepEqual(trailTable(allowed, 404).result, {
      status: 404,
      text: 'allowed by the gateway: aws_proxy answered 404',
    })
  })

  it('says so when the explanation and the answer disagree on a refusal', () => {
    const refused = { steps: [], status: 403, outcome: 'ACCESS_DENIED (GW_CONTRACT_PENDING)' }
    assert.match(trailTable(refused, 403).result.text, /^refused by the gateway: ACCESS_DENIED/)
    const failed = { steps: [], status: 504, outcome: 'INTEGRATION_TIMEOUT (GW_INTEGRATION_TIMEOUT)' }
    assert.match(trailTable(failed, 504).result.text, /^failed in the gateway: INTEGRATION_TIMEOUT/)
    const changed = trailTable(refused, 200).result
    assert.equal(changed.status, 200)
    assert.match(changed.text, /differs from the answer/)
  })
})
