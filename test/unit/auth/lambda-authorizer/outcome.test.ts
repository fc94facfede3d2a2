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
import { HTTP_API, REST_API } from '../../../../src/dialect/api-dialect.ts'

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
  assert.equal(invocationFailure(new Error('Unauthorized')).code, 'GW_AUTHORIZER_UNAUTHORIZED')
  const other = invocationFailure(new TypeError('boom Bearer secret'))
  assert.equal(other.code, 'GW_AUTHORIZER_CONFIG')
  assert.equal(other.reason, 'authorizer.threw')
  assert.ok(!other.detail?.includes('secret'), 'the thrown message never reaches the detail')
  const timeout = Object.assign(new Error('late'), { name: 'TimeoutError' })
  assert.equal(invocationFailure(timeout).code, 'GW_AUTHORIZER_CONFIG')
  assert.equal(invocationFailure(timeout).reason, 'authorizer.timeout')
})

test('HTTP API: the same codes, which its dialect answers 500 Internal Server Error', () => {
  assert.equal(invocationFailure('Unauthorized').code, 'GW_AUTHORIZER_UNAUTHORIZED')
  assert.equal(invocationFailure(new Error('x')).code, 'GW_AUTHORIZER_CONFIG')
  assert.equal(malformedOutput('output.context', 'd').code, 'GW_AUTHORIZER_CONFIG')
  const http = HTTP_API.errorSpec('GW_AUTHORIZER_CONFIG')
  assert.deepEqual(
    [http.status, http.responseType, http.message],
    [500, 'AUTHORIZER_FAILURE', 'Internal Server Error'],
  )
  const rest = REST_API.errorSpec('GW_AUTHORIZER_CONFIG')
  assert.deepEqual(
    [rest.status, rest.responseType, rest.message],
    [500, 'AUTHORIZER_CONFIGURATION_ERROR', null],
  )
})

test('denials: REST tells explicit from implicit, HTTP APIs say Forbidden for both', () => {
  assert.equal(
    policyDenied({ effect: 'deny', reason: 'explicit', statementIndex: 2 }).code,
    'GW_ACCESS_DENIED_EXPLICIT',
  )
  assert.equal(policyDenied({ effect: 'deny', reason: 'implicit' }).code, 'GW_ACCESS_DENIED')
  for (const code of ['GW_ACCESS_DENIED_EXPLICIT', 'GW_ACCESS_DENIED'] as const) {
    const http = HTTP_API.errorSpec(code)
    assert.deepEqual(
      [http.status, http.message, http.errorType, http.messageKey],
      [403, 'Forbidden', undefined, undefined],
    )
  }
  assert.equal(simpleDenied().code, 'GW_FORBIDDEN')
  assert.equal(identityRejected('identity.missing', 'x').code, 'GW_IDENTITY_MISSING')
  assert.equal(identityRejected('identity.missing', 'x').status, 401)
})
