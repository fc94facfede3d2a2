import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { test } from 'node:test'
import type { LambdaAuthorizerConfig } from '../../../src/auth/lambda-authorizer/authorizer-config.ts'
import { createLambdaAuthorizer } from '../../../src/auth/lambda-authorizer/lambda-authorizer.ts'
import { REST_API } from '../../../src/dialect/api-dialect.ts'
import { AUTHORIZER_CHANNEL, type AuthorizerFact } from '../../../src/observability/metric-facts.ts'
import { lambdaRouteAuth } from '../../../src/pipeline/lambda-route-auth.ts'
import type { AuthCall } from '../../../src/pipeline/types.ts'
import { fakeClock, fakeInvoker } from '../auth/lambda-authorizer/fake-invoker.ts'
import { makeView } from '../auth/lambda-authorizer/request-view-fixture.ts'

const API = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5'

const config: LambdaAuthorizerConfig = {
  id: 'bearer',
  dialect: REST_API,
  type: 'token',
  functionName: 'token-auth',
  identitySources: 'method.request.header.Authorization',
  ttlSeconds: 300,
  payloadFormatVersion: '1.0',
  simpleResponses: false,
  timeoutMs: 5000,
}

const policy = (Effect: string) => ({
  returns: {
    principalId: 'user|a1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect, Action: 'execute-api:Invoke', Resource: `${API}/prod/*` }],
    },
  },
})

const call = (headers: [string, string][]): AuthCall =>
  ({
    view: makeView({ path: '/orders/42', method: 'GET', headers }),
    explain: undefined,
    dryRun: false,
  }) as AuthCall

test('with metrics listening, a cached decision is still returned without a promise, and counted', async () => {
  const facts: AuthorizerFact[] = []
  const listener = (message: unknown) => facts.push(message as AuthorizerFact)
  subscribe(AUTHORIZER_CHANNEL, listener)
  try {
    const { clock } = fakeClock()
    const fake = fakeInvoker(policy('Allow'))
    const auth = lambdaRouteAuth(
      createLambdaAuthorizer(config, { invoke: fake.invoke, clock }),
      'lambda',
      () => ({}),
    )
    const first = auth.authenticate(call([['Authorization', 'Bearer alice']]))
    assert.ok(first instanceof Promise, 'a miss invokes')
    await first
    const second = auth.authenticate(call([['Authorization', 'Bearer alice']]))
    assert.equal(second instanceof Promise, false, 'a hit is decided synchronously')
    assert.throws(() => auth.authenticate(call([])), /identity/i)
    assert.deepEqual(
      facts.map(({ cache, outcome, latencyMs }) => [cache, outcome, typeof latencyMs]),
      [
        ['miss', 'allow', 'number'],
        ['hit', 'allow', 'undefined'],
        ['none', 'unauthorized', 'undefined'],
      ],
    )
    assert.equal(fake.calls.length, 1)
  } finally {
    unsubscribe(AUTHORIZER_CHANNEL, listener)
  }
})

test('a cached deny is counted as a hit; an uncached authorizer’s invocations as off', async () => {
  const facts: AuthorizerFact[] = []
  const listener = (message: unknown) => facts.push(message as AuthorizerFact)
  subscribe(AUTHORIZER_CHANNEL, listener)
  try {
    const { clock } = fakeClock()
    const deny = lambdaRouteAuth(
      createLambdaAuthorizer(config, { invoke: fakeInvoker(policy('Deny')).invoke, clock }),
      'lambda',
      () => ({}),
    )
    await assert.rejects(async () => deny.authenticate(call([['Authorization', 'Bearer eve']])))
    assert.throws(() => deny.authenticate(call([['Authorization', 'Bearer eve']])))
    const uncached = lambdaRouteAuth(
      createLambdaAuthorizer(
        { ...config, ttlSeconds: 0 },
        { invoke: fakeInvoker(policy('Allow')).invoke, clock },
      ),
      'lambda',
      () => ({}),
    )
    await uncached.authenticate(call([['Authorization', 'Bearer bob']]))
    assert.deepEqual(
      facts.map(({ cache, outcome }) => [cache, outcome]),
      [
        ['miss', 'deny'],
        ['hit', 'deny'],
        ['off', 'allow'],
      ],
    )
  } finally {
    unsubscribe(AUTHORIZER_CHANNEL, listener)
  }
})
