/**
 * HTTP API CORS (`x-amazon-apigateway-cors`) over real HTTP: the gateway answers the preflights
 * no route takes, with no authorizer, and puts the configured headers on responses in place of
 * the integration's own; an origin, method or header that is not allowed gets no CORS headers.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type EchoUpstream, startEchoUpstream } from '../helpers/echo-upstream.ts'
import { lambdaOp, lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const APP = 'https://app.example.com'

/** A function that sets CORS headers of its own, which the gateway must replace. */
const ITEMS =
  "export const handler = async () => ({ statusCode: 200, headers: { 'access-control-allow-origin': 'https://evil.example', 'x-total': '3' }, body: '[]' })\n"
const DENY = 'export const handler = async () => ({ isAuthorized: false })\n'

describe('HTTP API CORS: x-amazon-apigateway-cors', () => {
  let gw: TestGateway
  let upstream: EchoUpstream

  before(async () => {
    upstream = await startEchoUpstream()
    gw = await startTestGateway(
      openapi(
        {
          '/items': { get: lambdaOp('items') },
          '/proxied': {
            get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: `${upstream.url}/echo` } },
          },
          '/secure/{proxy+}': {
            'x-amazon-apigateway-any-method': { ...lambdaOp('items'), security: [{ deny: [] }] },
          },
          '/guarded/{proxy+}': {
            'x-amazon-apigateway-any-method': { ...lambdaOp('items'), security: [{ deny: [] }] },
            options: lambdaOp('items'),
          },
        },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          'x-amazon-apigateway-cors': {
            allowOrigins: [APP],
            allowMethods: ['GET', 'PUT'],
            allowHeaders: ['authorization', 'content-type'],
            exposeHeaders: ['x-total'],
            maxAge: 600,
            allowCredentials: true,
          },
          components: {
            securitySchemes: {
              deny: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authorizer': {
                  type: 'request',
                  identitySource: '$request.header.Authorization',
                  authorizerUri: lambdaUri('deny'),
                  authorizerPayloadFormatVersion: '2.0',
                  enableSimpleResponses: true,
                },
              },
            },
          },
        },
      ),
      { 'items.mjs': ITEMS, 'deny.mjs': DENY },
    )
  })
  after(async () => {
    await gw.close()
    await upstream.close()
  })

  const preflight = (path: string, headers: Record<string, string>) =>
    fetch(`${gw.url}${path}`, { method: 'OPTIONS', headers })

  test('a preflight is answered 204 by the gateway with the configured headers', async () => {
    const res = await preflight('/items', {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, Authorization',
    })
    assert.equal(res.status, 204)
    assert.equal(res.headers.get('access-control-allow-origin'), APP)
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET,PUT')
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,content-type')
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true')
    assert.equal(res.headers.get('access-control-max-age'), '600')
    assert.equal(await res.text(), '')
  })

  test('a preflight no route takes is answered by the gateway, on any path, even one no resource matches', async () => {
    for (const path of ['/items', '/items/', '/nowhere/at/all']) {
      const res = await preflight(path, { origin: APP, 'access-control-request-method': 'GET' })
      assert.equal(res.status, 204, path)
      assert.equal(res.headers.get('access-control-allow-origin'), APP, path)
    }
  })

  test('as on AWS, an ANY route takes preflights too, with its authorizer; an OPTIONS route without one is the fix', async () => {
    const refused = await preflight('/secure/a', { origin: APP, 'access-control-request-method': 'GET' })
    assert.equal(refused.status, 401, 'the ANY route asks for its identity source')
    const res = await preflight('/guarded/a', {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization',
    })
    assert.equal(res.status, 200, "the OPTIONS route's integration answers")
    assert.equal(res.headers.get('access-control-allow-origin'), APP)
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET,PUT')
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,content-type')
    assert.equal(res.headers.get('access-control-max-age'), '600')
  })

  test('an origin, method or header not allowed: 204 without CORS headers', async () => {
    for (const headers of [
      { origin: 'https://other.example', 'access-control-request-method': 'GET' },
      { origin: APP, 'access-control-request-method': 'DELETE' },
      { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-secret' },
    ]) {
      const res = await preflight('/items', headers)
      assert.equal(res.status, 204)
      assert.equal(res.headers.get('access-control-allow-origin'), null, JSON.stringify(headers))
      assert.equal(res.headers.get('access-control-allow-methods'), null)
    }
  })

  test("an actual response carries the API's CORS headers in place of the function's", async () => {
    const res = await fetch(`${gw.url}/items`, { headers: { origin: APP } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-origin'), APP)
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true')
    assert.equal(res.headers.get('access-control-expose-headers'), 'x-total')
    assert.equal(res.headers.get('vary'), 'Origin')
    assert.equal(res.headers.get('x-total'), '3')
  })

  test('a streamed http_proxy response carries them too', async () => {
    const res = await fetch(`${gw.url}/proxied`, { headers: { origin: APP } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-origin'), APP)
    assert.equal(res.headers.get('access-control-expose-headers'), 'x-total')
  })

  test('without an allowed Origin, no CORS header at all (not even the function’s)', async () => {
    for (const headers of [{}, { origin: 'https://other.example' }]) {
      const res = await fetch(`${gw.url}/items`, { headers })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('access-control-allow-origin'), null)
    }
  })
})

describe('HTTP API CORS configuration', () => {
  test('credentials cannot be allowed for every origin: a start-up error naming the pointer', async () => {
    await assert.rejects(
      startTestGateway(
        openapi(
          { '/a': { get: lambdaOp('items') } },
          {
            'x-amazon-apigateway-importexport-version': '1.0',
            'x-amazon-apigateway-cors': { allowOrigins: ['*'], allowCredentials: true, maxAge: 'x' },
          },
        ),
        { 'items.mjs': ITEMS },
      ),
      (err: Error) =>
        /\/x-amazon-apigateway-cors\/allowOrigins: expected the origins by name/.test(err.message) &&
        /\/x-amazon-apigateway-cors\/maxAge: expected an integer/.test(err.message),
    )
  })

  test('a $default route takes every OPTIONS request no other route does, as on AWS', async () => {
    const gw = await startTestGateway(
      openapi(
        {
          '/a': { get: lambdaOp('items') },
          '/$default': { 'x-amazon-apigateway-any-method': { ...lambdaOp('items'), isDefaultRoute: true } },
        },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          'x-amazon-apigateway-cors': { allowOrigins: [APP], allowMethods: ['GET'] },
        },
      ),
      { 'items.mjs': ITEMS },
    )
    try {
      const res = await fetch(`${gw.url}/a`, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'GET' },
      })
      assert.equal(res.status, 200, 'the $default integration answered')
      assert.equal(res.headers.get('x-total'), '3')
      assert.equal(res.headers.get('access-control-allow-origin'), APP)
      assert.equal(res.headers.get('access-control-allow-methods'), 'GET')
    } finally {
      await gw.close()
    }
  })

  test('allowOrigins https://* allows every https origin, and only those', async () => {
    const gw = await startTestGateway(
      openapi(
        { '/a': { get: lambdaOp('items') } },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          'x-amazon-apigateway-cors': { allowOrigins: ['https://*'] },
        },
      ),
      { 'items.mjs': ITEMS },
    )
    try {
      const ok = await fetch(`${gw.url}/a`, { headers: { origin: 'https://one.example' } })
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://one.example')
      const plain = await fetch(`${gw.url}/a`, { headers: { origin: 'http://one.example' } })
      assert.equal(plain.headers.get('access-control-allow-origin'), null)
    } finally {
      await gw.close()
    }
  })

  test('with allowOrigins *, any origin is answered with *', async () => {
    const gw = await startTestGateway(
      openapi(
        { '/a': { get: lambdaOp('items') } },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          'x-amazon-apigateway-cors': { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] },
        },
      ),
      { 'items.mjs': ITEMS },
    )
    try {
      const pre = await fetch(`${gw.url}/a`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://any.example',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'x-one',
        },
      })
      assert.equal(pre.status, 204)
      assert.equal(pre.headers.get('access-control-allow-origin'), '*')
      assert.equal(pre.headers.get('access-control-allow-methods'), 'PATCH')
      assert.equal(pre.headers.get('access-control-allow-headers'), 'x-one')
      const res = await fetch(`${gw.url}/a`, { headers: { origin: 'https://any.example' } })
      assert.equal(res.headers.get('access-control-allow-origin'), '*')
      assert.equal(res.headers.get('vary'), null)
    } finally {
      await gw.close()
    }
  })
})
