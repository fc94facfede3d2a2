import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ERRORS, GATEWAY_RESPONSE_TYPES } from '../../../src/errors/codes.ts'

test('every error code maps to a known gateway response type and a 4xx/5xx status', () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    assert.ok(GATEWAY_RESPONSE_TYPES.includes(spec.responseType), `${code} has an unknown response type`)
    assert.ok(spec.status >= 400 && spec.status < 600, `${code} has status ${spec.status}`)
  }
})

test('an unknown route is API Gateway 403 Missing Authentication Token', () => {
  assert.equal(ERRORS.GW_ROUTE_NOT_FOUND.status, 403)
  assert.equal(ERRORS.GW_ROUTE_NOT_FOUND.message, 'Missing Authentication Token')
})
