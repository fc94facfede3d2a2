import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  buildHttpRequestEventV1,
  buildRequestEventV1,
} from '../../../../src/auth/lambda-authorizer/event-request-v1.ts'
import { buildRequestEventV2 } from '../../../../src/auth/lambda-authorizer/event-request-v2.ts'
import { buildTokenEvent } from '../../../../src/auth/lambda-authorizer/event-token.ts'
import { makeView } from './request-view-fixture.ts'

const ARN = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders/42'

test('TOKEN event: exactly type, the raw header value and the methodArn', () => {
  assert.deepEqual(buildTokenEvent('Bearer abc', ARN), {
    type: 'TOKEN',
    authorizationToken: 'Bearer abc',
    methodArn: ARN,
  })
  assert.deepEqual(Object.keys(buildTokenEvent('x', ARN)), ['type', 'authorizationToken', 'methodArn'])
})

const viewSpec = {
  headers: [
    ['Authorization', 'Bearer abc'],
    ['X-Tenant', 't-9'],
    ['Accept', 'a/b'],
    ['accept', 'c/d'],
    ['Cookie', 'session=xyz; theme=dark'],
  ] as [string, string][],
  rawQuery: 'view=summary&view=full',
  stageVariables: { authMode: 'strict' },
}

const view = makeView(viewSpec)

test('REST REQUEST event: parameters in single and multi-value maps, no body', () => {
  const event = buildRequestEventV1(view, ARN)
  assert.deepEqual(Object.keys(event), [
    'type',
    'methodArn',
    'resource',
    'path',
    'httpMethod',
    'headers',
    'multiValueHeaders',
    'queryStringParameters',
    'multiValueQueryStringParameters',
    'pathParameters',
    'stageVariables',
    'requestContext',
  ])
  assert.equal(event.type, 'REQUEST')
  assert.equal(event.methodArn, ARN)
  assert.equal(event.resource, '/orders/{orderId}')
  assert.equal(event.path, '/orders/42')
  assert.deepEqual(event.headers, {
    Authorization: 'Bearer abc',
    'X-Tenant': 't-9',
    Accept: 'c/d',
    Cookie: 'session=xyz; theme=dark',
  })
  assert.deepEqual((event.multiValueHeaders as Record<string, string[]>).Accept, ['a/b', 'c/d'])
  assert.deepEqual(event.queryStringParameters, { view: 'full' })
  assert.deepEqual(event.multiValueQueryStringParameters, { view: ['summary', 'full'] })
  assert.deepEqual(event.pathParameters, { orderId: '42' })
  assert.deepEqual(event.stageVariables, { authMode: 'strict' })
  const ctx = event.requestContext as Record<string, unknown>
  assert.equal(ctx.path, '/prod/orders/42')
  assert.equal(ctx.resourcePath, '/orders/{orderId}')
  assert.equal('authorizer' in ctx, false)
})

test('REST REQUEST event: empty maps are null', () => {
  const event = buildRequestEventV1(makeView({ pathParameters: null }), ARN)
  assert.equal(event.headers, null)
  assert.equal(event.multiValueHeaders, null)
  assert.equal(event.queryStringParameters, null)
  assert.equal(event.multiValueQueryStringParameters, null)
  assert.equal(event.pathParameters, null)
  assert.equal(event.stageVariables, null)
})

test('HTTP API payload 1.0: version first, identity values comma-joined as identitySource and authorizationToken', () => {
  const event = buildHttpRequestEventV1(view, ARN, ['Bearer abc', 't-9'])
  assert.deepEqual(Object.keys(event).slice(0, 5), [
    'version',
    'type',
    'methodArn',
    'identitySource',
    'authorizationToken',
  ])
  assert.equal(event.version, '1.0')
  assert.equal(event.identitySource, 'Bearer abc,t-9')
  assert.equal(event.authorizationToken, 'Bearer abc,t-9')
  assert.deepEqual(event.multiValueQueryStringParameters, { view: ['summary', 'full'] })
})

test('HTTP API payload 2.0: routeArn, identitySource array, lower-cased joined headers, cookies', () => {
  const event = buildRequestEventV2(makeView({ ...viewSpec, stage: '$default' }), ARN, ['Bearer abc', 't-9'])
  assert.equal(event.version, '2.0')
  assert.equal(event.type, 'REQUEST')
  assert.equal(event.routeArn, ARN)
  assert.deepEqual(event.identitySource, ['Bearer abc', 't-9'])
  assert.equal(event.routeKey, 'GET /orders/{orderId}')
  assert.equal(event.rawPath, '/orders/42')
  assert.equal(event.rawQueryString, 'view=summary&view=full')
  assert.deepEqual(event.cookies, ['session=xyz', 'theme=dark'])
  assert.deepEqual(event.headers, { authorization: 'Bearer abc', 'x-tenant': 't-9', accept: 'a/b,c/d' })
  assert.deepEqual(event.queryStringParameters, { view: 'summary,full' })
  const ctx = event.requestContext as Record<string, unknown>
  assert.equal(ctx.routeKey, 'GET /orders/{orderId}')
  assert.deepEqual((ctx.http as Record<string, unknown>).path, '/orders/42')
  assert.deepEqual(event.pathParameters, { orderId: '42' })
  assert.deepEqual(event.stageVariables, { authMode: 'strict' })
  assert.equal('body' in event, false)
})

test('HTTP API payload 2.0: keys without a value are left out', () => {
  const event = buildRequestEventV2(makeView({ pathParameters: null }), ARN, [])
  for (const key of ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables']) {
    assert.equal(key in event, false, key)
  }
  assert.deepEqual(event.identitySource, [])
})
