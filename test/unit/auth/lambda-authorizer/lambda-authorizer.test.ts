import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LambdaAuthorizerConfig } from '../../../../src/auth/lambda-authorizer/authorizer-config.ts'
import { createTrail } from '../../../../src/auth/lambda-authorizer/authorizer-trail.ts'
import { createLambdaAuthorizer } from '../../../../src/auth/lambda-authorizer/lambda-authorizer.ts'
import { HTTP_API, REST_API } from '../../../../src/dialect/api-dialect.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'
import { fakeClock, fakeInvoker } from './fake-invoker.ts'
import { makeView } from './request-view-fixture.ts'

const API = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5'

const tokenConfig: LambdaAuthorizerConfig = {
  id: 'bearer',
  dialect: REST_API,
  type: 'token',
  functionName: 'token-auth',
  identitySources: 'method.request.header.Authorization',
  identityValidationExpression: '^Bearer [-0-9A-Za-z._~+/]+=*$',
  ttlSeconds: 300,
  payloadFormatVersion: '1.0',
  simpleResponses: false,
  timeoutMs: 5000,
}

const allowFor = (Resource: string, context: Record<string, unknown> = {}) => ({
  returns: {
    principalId: 'user|a1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource }],
    },
    context,
  },
})

const bearer = (path = '/orders/42', token = 'Bearer abc', method = 'GET') =>
  makeView({ path, method, headers: [['Authorization', token]] })

function code(expected: string) {
  return (err: unknown) => err instanceof GatewayError && err.code === expected
}

test('TOKEN: the event carries the raw header and the methodArn; the result carries principal and context', async () => {
  const { clock } = fakeClock()
  const fake = fakeInvoker(allowFor(`${API}/prod/*`, { tenant: 't-9', admin: false }))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock })
  const result = await authorizer.authorize(bearer())
  assert.deepEqual(fake.calls[0], {
    functionName: 'token-auth',
    event: { type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: `${API}/prod/GET/orders/42` },
    timeoutMs: 5000,
  })
  assert.equal(result.principalId, 'user|a1')
  assert.deepEqual(result.context, { tenant: 't-9', admin: 'false' })
  assert.equal(result.fromCache, false)
  assert.deepEqual(result.decidedBy, { statementIndex: 0 })
  assert.equal(result.trail.cache, 'miss')
  assert.equal(result.trail.outcome, 'allow')
})

test('the cached policy is re-evaluated against the next path: a narrow policy denies it without a new invocation', async () => {
  const fake = fakeInvoker((event) => allowFor(event.methodArn as string))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  await authorizer.authorize(bearer('/orders/42'))
  const again = await authorizer.authorize(bearer('/orders/42'))
  assert.equal(again.fromCache, true)
  assert.equal(again.integrationLatency, 0)
  await assert.rejects(authorizer.authorize(bearer('/orders/43')), code('GW_ACCESS_DENIED'))
  assert.equal(fake.calls.length, 1)
})

test('on the request path a cached decision is a value, not a promise; a refusal from the cache is thrown at once', async () => {
  const fake = fakeInvoker((event) => allowFor(event.methodArn as string))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  const first = authorizer.decide(bearer('/orders/42'), undefined)
  assert.ok(first instanceof Promise, 'a miss invokes the function')
  assert.equal((await first).fromCache, false)
  const hit = authorizer.decide(bearer('/orders/42'), undefined)
  assert.ok(!(hit instanceof Promise), 'a hit is decided without a promise')
  assert.equal(hit.principalId, 'user|a1')
  assert.equal(hit.fromCache, true)
  assert.equal(hit.integrationLatency, 0)
  assert.throws(() => authorizer.decide(bearer('/orders/43'), undefined), code('GW_ACCESS_DENIED'))
  assert.equal(fake.calls.length, 1)
})

test('a cached result expires with its TTL', async () => {
  const { clock, advance } = fakeClock()
  const fake = fakeInvoker(allowFor('*'))
  const authorizer = createLambdaAuthorizer(
    { ...tokenConfig, ttlSeconds: 60 },
    { invoke: fake.invoke, clock },
  )
  await authorizer.authorize(bearer())
  advance(59_999)
  await authorizer.authorize(bearer())
  assert.equal(fake.calls.length, 1)
  advance(1)
  const fresh = await authorizer.authorize(bearer())
  assert.equal(fresh.fromCache, false)
  assert.equal(fake.calls.length, 2)
})

test('a different token is a different cache entry', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  await authorizer.authorize(bearer('/a', 'Bearer one'))
  await authorizer.authorize(bearer('/a', 'Bearer two'))
  assert.equal(fake.calls.length, 2)
  await authorizer.authorize(bearer('/a', 'Bearer one'))
  assert.equal(fake.calls.length, 2)
})

test('N concurrent requests with the same identity invoke the authorizer once', async () => {
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let calls = 0
  const authorizer = createLambdaAuthorizer(tokenConfig, {
    clock: fakeClock().clock,
    async invoke() {
      calls++
      await gate
      return allowFor('*').returns
    },
  })
  const pending = Array.from({ length: 20 }, (_, i) => authorizer.authorize(bearer(`/orders/${i}`)))
  release()
  const results = await Promise.all(pending)
  assert.equal(calls, 1)
  assert.equal(results.filter((r) => !r.fromCache).length, 1)
})

test('with TTL 0 every request invokes, concurrent or not', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const authorizer = createLambdaAuthorizer(
    { ...tokenConfig, ttlSeconds: 0 },
    { invoke: fake.invoke, clock: fakeClock().clock },
  )
  await Promise.all([authorizer.authorize(bearer()), authorizer.authorize(bearer())])
  const third = await authorizer.authorize(bearer())
  assert.equal(fake.calls.length, 3)
  assert.equal(third.trail.cache, 'off')
})

test('a missing header or a token failing the validation expression is 401 without invoking', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  await assert.rejects(authorizer.authorize(makeView()), code('GW_IDENTITY_MISSING'))
  await assert.rejects(authorizer.authorize(bearer('/a', '')), code('GW_IDENTITY_MISSING'))
  const trail = createTrail('bearer')
  await assert.rejects(
    authorizer.authorize(bearer('/a', 'Basic abc'), { trail }),
    code('GW_IDENTITY_MISSING'),
  )
  assert.equal(trail.reason, 'identity.validation_expression')
  assert.equal(trail.outcome, 'unauthorized')
  assert.equal(fake.calls.length, 0)
})

test('failures are never cached: the next request invokes again', async () => {
  const fake = fakeInvoker({ throws: new Error('Unauthorized') })
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  await assert.rejects(authorizer.authorize(bearer()), code('GW_AUTHORIZER_UNAUTHORIZED'))
  await assert.rejects(authorizer.authorize(bearer()), code('GW_AUTHORIZER_UNAUTHORIZED'))
  assert.equal(fake.calls.length, 2)
})

test('the trail records hashes of identity values, never the values', async () => {
  const fake = fakeInvoker({ throws: new Error('boom') })
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  const trail = createTrail('bearer')
  await assert.rejects(
    authorizer.authorize(bearer('/a', 'Bearer s3cr3t'), { trail }),
    code('GW_AUTHORIZER_CONFIG'),
  )
  assert.equal(trail.invoked, true)
  assert.equal(trail.outcome, 'error')
  assert.equal(trail.reason, 'authorizer.threw')
  assert.equal(trail.identity[0]!.present, true)
  assert.match(trail.identity[0]!.sha256!, /^[0-9a-f]{16}$/)
  assert.ok(!JSON.stringify(trail).includes('s3cr3t'))
})

test('a method ARN over 1600 bytes is 414 before anything runs', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  await assert.rejects(
    authorizer.authorize(bearer(`/${'a'.repeat(1600)}`)),
    code('GW_AUTHORIZER_ARN_TOO_LONG'),
  )
  assert.equal(fake.calls.length, 0)
})

test('REST REQUEST without identity sources and TTL 0 invokes on every request, credentials or not', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const config: LambdaAuthorizerConfig = {
    ...tokenConfig,
    type: 'request',
    identitySources: '',
    ttlSeconds: 0,
  }
  const authorizer = createLambdaAuthorizer(config, { invoke: fake.invoke, clock: fakeClock().clock })
  await authorizer.authorize(makeView())
  await authorizer.authorize(makeView())
  assert.equal(fake.calls.length, 2)
  assert.equal(fake.calls[0]!.event.type, 'REQUEST')
  assert.equal(fake.calls[0]!.event.methodArn, `${API}/prod/GET/orders/42`)
})

test('REQUEST caches by every identity source: changing one invokes again', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const config: LambdaAuthorizerConfig = {
    ...tokenConfig,
    type: 'request',
    identitySources: 'method.request.header.Authorization,method.request.querystring.tenant',
  }
  const authorizer = createLambdaAuthorizer(config, { invoke: fake.invoke, clock: fakeClock().clock })
  const view = (tenant: string) =>
    makeView({ headers: [['Authorization', 'a']], rawQuery: `tenant=${tenant}` })
  await authorizer.authorize(view('t1'))
  await authorizer.authorize(view('t1'))
  await authorizer.authorize(view('t2'))
  assert.equal(fake.calls.length, 2)
  await assert.rejects(
    authorizer.authorize(makeView({ headers: [['Authorization', 'a']] })),
    code('GW_IDENTITY_MISSING'),
  )
  assert.equal(fake.calls.length, 2)
})

const httpConfig: LambdaAuthorizerConfig = {
  id: 'v2',
  dialect: HTTP_API,
  type: 'request',
  functionName: 'v2-auth',
  identitySources: ['$request.header.Authorization'],
  ttlSeconds: 300,
  payloadFormatVersion: '2.0',
  simpleResponses: true,
  timeoutMs: 10_000,
}

test('HTTP API simple responses: the context is kept as is; isAuthorized false is cached and Forbidden everywhere', async () => {
  const fake = fakeInvoker((event) =>
    event.rawPath === '/allowed'
      ? { returns: { isAuthorized: true, context: { roles: ['a'] } } }
      : { returns: { isAuthorized: false } },
  )
  const authorizer = createLambdaAuthorizer(httpConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  const view = (path: string, token: string) =>
    makeView({ path, stage: '$default', headers: [['authorization', token]] })
  const ok = await authorizer.authorize(view('/allowed', 'a'))
  assert.deepEqual(ok.context, { roles: ['a'] })
  assert.equal(ok.principalId, undefined)
  assert.equal(fake.calls[0]!.event.routeArn, `${API}/$default/GET/allowed`)
  assert.deepEqual(fake.calls[0]!.event.identitySource, ['a'])
  await assert.rejects(authorizer.authorize(view('/other', 'b')), code('GW_FORBIDDEN'))
  await assert.rejects(authorizer.authorize(view('/allowed', 'b')), code('GW_FORBIDDEN'))
  assert.equal(fake.calls.length, 2)
})

test('HTTP API payload 1.0 sends the joined identitySource and evaluates the policy', async () => {
  const fake = fakeInvoker(allowFor(`${API}/$default/GET/*`))
  const config: LambdaAuthorizerConfig = {
    ...httpConfig,
    payloadFormatVersion: '1.0',
    simpleResponses: false,
  }
  const authorizer = createLambdaAuthorizer(config, { invoke: fake.invoke, clock: fakeClock().clock })
  const view = (method: string) =>
    makeView({ method, stage: '$default', headers: [['Authorization', 'tok']] })
  const result = await authorizer.authorize(view('GET'))
  assert.equal(result.principalId, 'user|a1')
  assert.equal(fake.calls[0]!.event.version, '1.0')
  assert.equal(fake.calls[0]!.event.identitySource, 'tok')
  await assert.rejects(authorizer.authorize(view('DELETE')), code('GW_ACCESS_DENIED'))
})

test('usageIdentifierKey is passed through', async () => {
  const fake = fakeInvoker({ returns: { ...allowFor('*').returns, usageIdentifierKey: 'plan-key' } })
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  assert.equal((await authorizer.authorize(bearer())).usageIdentifierKey, 'plan-key')
})

test('the request path builds no RegExp: the validation expression is compiled once', async () => {
  const fake = fakeInvoker(allowFor(`${API}/prod/GET/*`))
  const authorizer = createLambdaAuthorizer(tokenConfig, { invoke: fake.invoke, clock: fakeClock().clock })
  const original = globalThis.RegExp
  let constructed = 0
  globalThis.RegExp = new Proxy(original, {
    construct(target, args) {
      constructed++
      return Reflect.construct(target, args)
    },
  })
  try {
    for (let i = 0; i < 50; i++) await authorizer.authorize(bearer(`/orders/${i}`, `Bearer t${i % 5}`))
  } finally {
    globalThis.RegExp = original
  }
  assert.equal(constructed, 0)
  assert.equal(fake.calls.length, 5)
})

test('on a missing identity source the trail shows which sources were present', async () => {
  const fake = fakeInvoker(allowFor('*'))
  const config: LambdaAuthorizerConfig = {
    ...tokenConfig,
    type: 'request',
    identitySources: 'method.request.header.Authorization,method.request.header.X-Tenant',
  }
  const authorizer = createLambdaAuthorizer(config, { invoke: fake.invoke, clock: fakeClock().clock })
  const trail = createTrail('tenant')
  await assert.rejects(authorizer.authorize(bearer(), { trail }), code('GW_IDENTITY_MISSING'))
  assert.deepEqual(
    trail.identity.map((i) => [i.expression, i.present]),
    [
      ['method.request.header.Authorization', true],
      ['method.request.header.X-Tenant', false],
    ],
  )
  assert.equal(trail.reason, 'identity.missing')
})
