import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  httpV1AuthorizerContext,
  httpV2AuthorizerContext,
  restAuthorizerContext,
} from '../../../src/dialect/authorizer-context.ts'

test('REST proxy: principalId, integrationLatency and the stringified context side by side', () => {
  const identity = {
    principalId: 'user|a1',
    context: { tenantId: 't-9', isAdmin: 'false' },
    integrationLatency: 131,
  }
  assert.deepEqual(restAuthorizerContext(identity), {
    tenantId: 't-9',
    isAdmin: 'false',
    principalId: 'user|a1',
    integrationLatency: 131,
  })
})

test('REST proxy: a context key cannot replace principalId', () => {
  const identity = { principalId: 'real', context: { principalId: 'spoof' }, integrationLatency: 0 }
  assert.equal(restAuthorizerContext(identity).principalId, 'real')
})

test('HTTP API payload 2.0: the context, unchanged, under lambda', () => {
  const context = { roles: ['a'], limits: { rpm: 60 } }
  const built = httpV2AuthorizerContext({ context, integrationLatency: 5 })
  assert.deepEqual(built, { lambda: context })
  assert.notEqual(built.lambda, context, 'a copy, so the cached context cannot be mutated downstream')
})

test('HTTP API payload 1.0: a flat map; principalId only when a policy named one', () => {
  assert.deepEqual(httpV1AuthorizerContext({ context: { a: 1 }, integrationLatency: 3 }), {
    a: 1,
    integrationLatency: 3,
  })
  assert.deepEqual(httpV1AuthorizerContext({ principalId: 'p', context: {}, integrationLatency: 0 }), {
    principalId: 'p',
    integrationLatency: 0,
  })
})
