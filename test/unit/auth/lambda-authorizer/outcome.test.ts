import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  identityRejected,
  invocationFailure,
  isUnauthorizedSignal,
  malformedOutput,
  policyDenied,
  simpleDenied,
} from '../../../../src/auth/lambda-authorizer/outcome.ts'

test('only the exact message Unauthorized signals a 401', () => {
  assert.equal(isUnauthorizedSignal(new Error('Unauthorized')), true)
  assert.equal(isUnauthorizedSignal('Unauthorized'), true)
  assert.equal(isUnauthorizedSignal({ errorType: 'Error', errorMessage: 'Unauthorized' }), true)
  assert.equal(isUnauthorizedSignal(new Error('Unauthorized.')), false)
  assert.equal(isUnauthorizedSignal(new Error('unauthorized')), false)
  assert.equal(isUnauthorizedSignal(new Error('Unauthorized: expired')), false)
  assert.equal(isUnauthorizedSignal(' Unauthorized'), false)
  assert.equal(isUnauthorizedSignal(null), false)
  assert.equal(isUnauthorizedSignal({ message: 'Unauthorized' }), false)
})

test('REST: Unauthorized is 401; anything else, timeouts included, is the 500 configuration error', () => {
  assert.equal(invocationFailure(new Error('Unauthorized'), 'rest').code, 'GW_AUTHORIZER_UNAUTHORIZED')
  const other = invocationFailure(new TypeError('boom Bearer secret'), 'rest')
  assert.equal(other.code, 'GW_AUTHORIZER_CONFIG')
  assert.equal(other.reason, 'authorizer.threw')
  assert.ok(!other.detail?.includes('secret'), 'the thrown message never reaches the detail')
  const timeout = Object.assign(new Error('late'), { name: 'TimeoutError' })
  assert.equal(invocationFailure(timeout, 'rest').code, 'GW_AUTHORIZER_CONFIG')
  assert.equal(invocationFailure(timeout, 'rest').reason, 'authorizer.timeout')
})

test('HTTP API: failures are the 500 Internal Server Error variant', () => {
  assert.equal(invocationFailure('Unauthorized', 'http').code, 'GW_AUTHORIZER_UNAUTHORIZED')
  assert.equal(invocationFailure(new Error('x'), 'http').code, 'GW_AUTHORIZER_FAILURE_V2')
  assert.equal(malformedOutput('http', 'output.context', 'd').code, 'GW_AUTHORIZER_FAILURE_V2')
  assert.equal(malformedOutput('rest', 'output.context', 'd').code, 'GW_AUTHORIZER_CONFIG')
})

test('denials: REST tells explicit from implicit, HTTP APIs say Forbidden', () => {
  assert.equal(
    policyDenied({ effect: 'deny', reason: 'explicit', statementIndex: 2 }, 'rest').code,
    'GW_ACCESS_DENIED_EXPLICIT',
  )
  assert.equal(policyDenied({ effect: 'deny', reason: 'implicit' }, 'rest').code, 'GW_ACCESS_DENIED')
  assert.equal(
    policyDenied({ effect: 'deny', reason: 'explicit', statementIndex: 0 }, 'http').code,
    'GW_FORBIDDEN',
  )
  assert.equal(policyDenied({ effect: 'deny', reason: 'implicit' }, 'http').code, 'GW_FORBIDDEN')
  assert.equal(simpleDenied().code, 'GW_FORBIDDEN')
  assert.equal(identityRejected('identity.missing', 'x').code, 'GW_IDENTITY_MISSING')
  assert.equal(identityRejected('identity.missing', 'x').status, 401)
})
