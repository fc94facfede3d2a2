import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { rawRequest } from '../helpers/raw-http.ts'
import { lambdaOp, lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const FUNCTIONS = {
  'echo.mjs': `export const handler = async (event, context) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event, fn: context.functionName, remaining: context.getRemainingTimeInMillis(), awsRequestId: context.awsRequestId }),
  })\n`,
  'thrower.mjs': `export const handler = async () => { throw new Error('boom: secret-detail') }\n`,
  'hangs.mjs': `export const handler = () => new Promise(() => {})\n`,
  'malformed.mjs': `export const handler = async () => ({ statusCode: 200, body: { not: 'a string' } })\n`,
  'nostatus.mjs': `export const handler = async () => ({ body: 'x' })\n`,
  'callback.js': `export function handler(event, context, callback) { setTimeout(() => callback(null, { statusCode: 201, body: 'made' }), 5) }\n`,
  'multi.mjs': `export const handler = async () => ({
    statusCode: 200,
    headers: { 'X-One': 'single', 'X-Both': 'from-headers' },
    multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/'], 'X-Both': ['from-multi'] },
    body: 'aGVsbG8=', isBase64Encoded: true,
  })\n`,
  'badheader.mjs': `export const handler = async () => ({ statusCode: 200, headers: { 'x-evil': 'a\\r\\nInjected: yes' }, body: '' })\n`,
  'framing.mjs': `export const handler = async () => ({ statusCode: 200, headers: { 'Transfer-Encoding': 'chunked', 'Content-Length': '999', Connection: 'close', Server: 'mine' }, body: 'hello' })\n`,
  'nocontent.mjs': `export const handler = async () => ({ statusCode: 204, body: 'ignored' })\n`,
}

describe('aws_proxy on a REST API (payload 1.0)', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi(
        {
          '/echo/{id}': { 'x-amazon-apigateway-any-method': lambdaOp('echo') },
          '/files/{proxy+}': { get: lambdaOp('echo') },
          '/thrower': { get: lambdaOp('thrower') },
          '/hangs': { get: lambdaOp('hangs', { timeoutInMillis: 200 }) },
          '/malformed': { get: lambdaOp('malformed') },
          '/nostatus': { get: lambdaOp('nostatus') },
          '/callback': { get: lambdaOp('callback') },
          '/multi': { get: lambdaOp('multi') },
          '/badheader': { get: lambdaOp('badheader') },
          '/framing': { get: lambdaOp('framing') },
          '/nocontent': { get: lambdaOp('nocontent') },
        },
        { 'x-amazon-apigateway-binary-media-types': ['application/octet-stream'] },
      ),
      FUNCTIONS,
      'api:\n  stage: prod\n  stageVariables:\n    mode: strict\n',
    )
  })
  after(() => gw.close())

  test('the handler receives the proxy event and a Lambda context', async () => {
    const res = await fetch(`${gw.url}/echo/42?view=summary&view=full`, {
      method: 'POST',
      headers: { 'X-Tenant': 't-9', 'content-type': 'application/json' },
      body: '{"qty":2}',
    })
    assert.equal(res.status, 200)
    const { event, fn, remaining, awsRequestId } = (await res.json()) as Record<string, any>
    assert.equal(fn, 'echo')
    assert.ok(remaining > 28_000 && remaining <= 29_000, `remaining ${remaining}`)
    assert.match(awsRequestId, /^[0-9a-f-]{36}$/)
    assert.equal(event.resource, '/echo/{id}')
    assert.equal(event.path, '/echo/42')
    assert.equal(event.httpMethod, 'POST')
    assert.deepEqual(event.pathParameters, { id: '42' })
    assert.deepEqual(event.queryStringParameters, { view: 'full' })
    assert.deepEqual(event.multiValueQueryStringParameters, { view: ['summary', 'full'] })
    assert.equal(event.headers['X-Tenant'], 't-9')
    assert.deepEqual(event.stageVariables, { mode: 'strict' })
    assert.equal(event.requestContext.stage, 'prod')
    assert.equal(event.requestContext.path, '/prod/echo/42')
    assert.equal(event.requestContext.resourcePath, '/echo/{id}')
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1')
    assert.equal(event.body, '{"qty":2}')
    assert.equal(event.isBase64Encoded, false)
    assert.equal('authorizer' in event.requestContext, false)
  })

  test('a binary media type arrives base64-encoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255])
    const res = await fetch(`${gw.url}/echo/bin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    const { event } = (await res.json()) as Record<string, any>
    assert.equal(event.isBase64Encoded, true)
    assert.deepEqual(Buffer.from(event.body, 'base64'), bytes)
  })

  test('a greedy path parameter carries the rest of the path without a leading slash', async () => {
    const res = await fetch(`${gw.url}/files/a/b/c.txt`)
    const { event } = (await res.json()) as Record<string, any>
    assert.equal(event.resource, '/files/{proxy+}')
    assert.deepEqual(event.pathParameters, { proxy: 'a/b/c.txt' })
  })

  test('a handler that throws is 502 Internal server error, without its message', async () => {
    const res = await fetch(`${gw.url}/thrower`)
    assert.equal(res.status, 502)
    const text = await res.text()
    assert.equal(text, '{"message":"Internal server error"}')
  })

  test('a handler that never finishes is 504 after the integration timeout, and the gateway keeps serving', async () => {
    const started = Date.now()
    const res = await fetch(`${gw.url}/hangs`)
    assert.equal(res.status, 504)
    assert.deepEqual(await res.json(), { message: 'Endpoint request timed out' })
    assert.ok(Date.now() - started < 2_000)
    assert.equal((await fetch(`${gw.url}/callback`)).status, 201)
  })

  test('a malformed proxy response is 502', async () => {
    for (const path of ['/malformed', '/nostatus']) {
      const res = await fetch(`${gw.url}${path}`)
      assert.equal(res.status, 502, path)
      assert.deepEqual(await res.json(), { message: 'Internal server error' })
    }
  })

  test('a callback-style handler works', async () => {
    const res = await fetch(`${gw.url}/callback`)
    assert.equal(res.status, 201)
    assert.equal(await res.text(), 'made')
  })

  test('headers and multiValueHeaders merge, multi-value wins, base64 bodies are decoded', async () => {
    const res = await fetch(`${gw.url}/multi`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('x-one'), 'single')
    assert.equal(res.headers.get('x-both'), 'from-multi')
    assert.deepEqual(res.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/'])
    assert.equal(await res.text(), 'hello')
  })

  test("a function's framing headers travel as x-amzn-Remapped-*; the gateway frames the body", async () => {
    const res = await rawRequest(gw.url, 'GET /framing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    assert.equal(res.status, 200)
    assert.match(res.head, /\r\ncontent-length: 5\r\n/i)
    assert.doesNotMatch(res.head, /\r\ntransfer-encoding:/i)
    assert.match(res.head, /\r\nx-amzn-remapped-transfer-encoding: chunked/i)
    assert.match(res.head, /\r\nx-amzn-remapped-content-length: 999/i)
    assert.match(res.head, /\r\nx-amzn-remapped-server: mine/i)
    assert.equal(res.body, 'hello')
  })

  test('a 204 carries no body and no content-length', async () => {
    const res = await rawRequest(gw.url, 'GET /nocontent HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    assert.equal(res.status, 204)
    assert.doesNotMatch(res.head, /content-length/i)
  })

  test('path parameters arrive decoded', async () => {
    const res = await fetch(`${gw.url}/echo/a%20b%C3%A9`)
    const { event } = (await res.json()) as Record<string, any>
    assert.deepEqual(event.pathParameters, { id: 'a bé' })
    assert.equal(event.path, '/echo/a%20b%C3%A9')
  })

  test('a header value with CR/LF from a function is refused with 502, never sent', async () => {
    const res = await fetch(`${gw.url}/badheader`)
    assert.equal(res.status, 502)
    assert.equal(res.headers.get('injected'), null)
  })
})

describe('aws_proxy on an HTTP API (payload 2.0)', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi(
        {
          '/echo/{id}': { post: lambdaOp('echo2') },
          '/text': { get: lambdaOp('text') },
          '/obj': { get: lambdaOp('obj') },
          '/cookies': { get: lambdaOp('cookies') },
          '/thrower': { get: lambdaOp('thrower') },
          '/v1': { get: lambdaOp('echo2', { payloadFormatVersion: '1.0' }) },
          '/badheader': { get: lambdaOp('badheader') },
        },
        { 'x-amazon-apigateway-importexport-version': '1.0' },
      ),
      {
        'echo2.mjs':
          'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) })\n',
        'text.mjs': "export const handler = async () => 'plain words'\n",
        'obj.mjs': 'export const handler = async () => ({ hello: "world" })\n',
        'cookies.mjs':
          "export const handler = async () => ({ statusCode: 200, cookies: ['a=1; Secure', 'b=2'], body: 'ok' })\n",
        'thrower.mjs': FUNCTIONS['thrower.mjs'],
        'badheader.mjs': FUNCTIONS['badheader.mjs'],
      },
    )
  })
  after(() => gw.close())

  test('the v2 event: lower-cased comma-joined headers, cookies, routeKey, $default stage', async () => {
    const res = await rawRequest(
      gw.url,
      'POST /echo/7?a=1&a=2 HTTP/1.1\r\nHost: api.test\r\nX-Multi: one\r\nX-Multi: two\r\n' +
        'Cookie: session=xyz; theme=dark\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nConnection: close\r\n\r\nhi',
    )
    const event = JSON.parse(res.body) as Record<string, any>
    assert.equal(event.version, '2.0')
    assert.equal(event.routeKey, 'POST /echo/{id}')
    assert.equal(event.rawPath, '/echo/7')
    assert.equal(event.rawQueryString, 'a=1&a=2')
    assert.deepEqual(event.queryStringParameters, { a: '1,2' })
    assert.equal(event.headers['x-multi'], 'one,two')
    assert.equal(event.headers.cookie, undefined)
    assert.deepEqual(event.cookies, ['session=xyz', 'theme=dark'])
    assert.equal(event.requestContext.stage, '$default')
    assert.equal(event.requestContext.http.method, 'POST')
    assert.equal(event.body, 'hi')
    assert.equal(event.isBase64Encoded, false)
    assert.equal('stageVariables' in event, false)
  })

  test('a returned string or object is inferred as a 200 JSON response', async () => {
    const text = await fetch(`${gw.url}/text`)
    assert.equal(text.status, 200)
    assert.equal(text.headers.get('content-type'), 'application/json')
    assert.equal(await text.text(), 'plain words')
    const obj = await fetch(`${gw.url}/obj`)
    assert.deepEqual(await obj.json(), { hello: 'world' })
  })

  test('cookies become separate set-cookie headers', async () => {
    const res = await fetch(`${gw.url}/cookies`)
    assert.deepEqual(res.headers.getSetCookie(), ['a=1; Secure', 'b=2'])
  })

  test('a failing function is 500 Internal Server Error on HTTP APIs', async () => {
    const res = await fetch(`${gw.url}/thrower`)
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), { message: 'Internal Server Error' })
  })

  test('an unknown route on an HTTP API is 404 Not Found', async () => {
    const res = await fetch(`${gw.url}/nope`)
    assert.equal(res.status, 404)
    assert.deepEqual(await res.json(), { message: 'Not Found' })
  })

  test('a header HTTP cannot carry is 500 Internal Server Error on HTTP APIs', async () => {
    const res = await fetch(`${gw.url}/badheader`)
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), { message: 'Internal Server Error' })
  })

  test('a route may choose payload 1.0 on an HTTP API', async () => {
    const event = (await (await fetch(`${gw.url}/v1`)).json()) as Record<string, unknown>
    assert.equal(event.version, undefined)
    assert.equal(event.resource, '/v1')
  })
})

describe('aws_proxy: what the gateway owns never reaches a function', () => {
  const GATEWAY_COOKIES =
    'forcegate-session=s1; __Host-forcegate-session=s2; forcegate-login=l1; __Host-forcegate-login=l2'
  const REQUEST = (path: string) =>
    `GET ${path} HTTP/1.1\r\nHost: api.test\r\nX-Tenant: t-9\r\nX-Forcegate-User-Id: 005ADMIN\r\n` +
    `x-forcegate-scopes: full\r\nCookie: theme=dark; ${GATEWAY_COOKIES}; lang=en\r\nCookie: ${GATEWAY_COOKIES}\r\n` +
    'Connection: close\r\n\r\n'
  const echo = 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) })\n'
  const requestAuthorizer = `export const handler = async (event) => ({
    principalId: 'user',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: { headers: JSON.stringify(event.headers), multiValueHeaders: JSON.stringify(event.multiValueHeaders) },
  })\n`
  const requestAuthorizerV2 = `export const handler = async (event) => ({
    isAuthorized: true,
    context: { headers: JSON.stringify(event.headers), cookies: JSON.stringify(event.cookies) },
  })\n`
  const scheme = (uri: string, extra: Record<string, unknown>) => ({
    type: 'apiKey',
    name: 'X-Tenant',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: uri, ...extra },
  })
  let rest: TestGateway
  let http: TestGateway
  before(async () => {
    rest = await startTestGateway(
      openapi(
        {
          '/echo': { get: lambdaOp('echo') },
          '/guarded': { get: { ...lambdaOp('echo'), security: [{ tenant: [] }] } },
        },
        {
          components: {
            securitySchemes: {
              tenant: scheme(lambdaUri('request-auth'), {
                identitySource: 'method.request.header.X-Tenant',
                authorizerResultTtlInSeconds: 0,
              }),
            },
          },
        },
      ),
      { 'echo.mjs': echo, 'request-auth.mjs': requestAuthorizer },
    )
    http = await startTestGateway(
      openapi(
        {
          '/echo': { get: lambdaOp('echo') },
          '/guarded': { get: { ...lambdaOp('echo'), security: [{ tenant: [] }] } },
        },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          components: {
            securitySchemes: {
              tenant: scheme(lambdaUri('request-auth'), {
                identitySource: '$request.header.X-Tenant',
                authorizerPayloadFormatVersion: '2.0',
                enableSimpleResponses: true,
                authorizerResultTtlInSeconds: 0,
              }),
            },
          },
        },
      ),
      { 'echo.mjs': echo, 'request-auth.mjs': requestAuthorizerV2 },
    )
  })
  after(async () => {
    await rest.close()
    await http.close()
  })

  const assertV1Headers = (headers: Record<string, string>, multi: Record<string, string[]>) => {
    assert.equal(headers['X-Tenant'], 't-9')
    for (const map of [headers, multi]) {
      assert.equal(map['X-Forcegate-User-Id'], undefined)
      assert.equal(map['x-forcegate-scopes'], undefined)
    }
    assert.equal(headers.Cookie, 'theme=dark; lang=en')
    assert.deepEqual(multi.Cookie, ['theme=dark; lang=en'])
  }

  test('payload 1.0: no x-forcegate-* header and no gateway cookie in headers or multiValueHeaders', async () => {
    const res = await rawRequest(rest.url, REQUEST('/echo'))
    const event = JSON.parse(res.body) as Record<string, any>
    assertV1Headers(event.headers, event.multiValueHeaders)
  })

  test('payload 1.0: nor in the REQUEST authorizer event', async () => {
    const res = await rawRequest(rest.url, REQUEST('/guarded'))
    assert.equal(res.status, 200)
    const { authorizer } = (JSON.parse(res.body) as Record<string, any>).requestContext
    assertV1Headers(JSON.parse(authorizer.headers), JSON.parse(authorizer.multiValueHeaders))
  })

  test('payload 2.0: no x-forcegate-* header and no gateway cookie, in the event or the authorizer event', async () => {
    const event = JSON.parse((await rawRequest(http.url, REQUEST('/echo'))).body) as Record<string, any>
    const res = await rawRequest(http.url, REQUEST('/guarded'))
    assert.equal(res.status, 200)
    const { authorizer } = (JSON.parse(res.body) as Record<string, any>).requestContext
    const seen = [
      { headers: event.headers, cookies: event.cookies },
      { headers: JSON.parse(authorizer.lambda.headers), cookies: JSON.parse(authorizer.lambda.cookies) },
    ]
    for (const { headers, cookies } of seen) {
      assert.equal(headers['x-tenant'], 't-9')
      assert.equal(headers['x-forcegate-user-id'], undefined)
      assert.equal(headers['x-forcegate-scopes'], undefined)
      assert.equal(headers.cookie, undefined)
      assert.deepEqual(cookies, ['theme=dark', 'lang=en'])
    }
  })
})
