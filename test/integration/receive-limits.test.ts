import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { rawRequest } from '../helpers/raw-http.ts'
import { lambdaOp } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

describe('receive stage limits and framing', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi({
        '/admin/{proxy+}': { 'x-amazon-apigateway-any-method': lambdaOp('echo') },
        '/public': { get: lambdaOp('echo') },
      }),
      {
        'echo.mjs':
          'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ path: e.path, resource: e.resource }) })\n',
      },
      'server:\n  maxBodyBytes: 1000\n  maxUrlBytes: 300\n  maxHeaderBytes: 4096\n  headersTimeoutMs: 1000\n',
    )
  })
  after(() => gw.close())

  test('a header section over the limit is 431', async () => {
    const res = await fetch(`${gw.url}/public`, { headers: { 'x-big': 'a'.repeat(8000) } })
    assert.equal(res.status, 431)
    assert.deepEqual(await res.json(), { message: 'Request Header Fields Too Large' })
  })

  test('a body over the limit is 413, by Content-Length and when chunked', async () => {
    const byLength = await fetch(`${gw.url}/admin/x`, { method: 'POST', body: 'a'.repeat(2000) })
    assert.equal(byLength.status, 413)
    const chunked = await rawRequest(
      gw.url,
      `POST /admin/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n7d0\r\n${'a'.repeat(2000)}\r\n0\r\n\r\n`,
    )
    assert.equal(chunked.status, 413)
  })

  test('a client that sends its headers too slowly gets 408 and the connection closes', async () => {
    const started = Date.now()
    const res = await rawRequest(gw.url, 'GET /public HTTP/1.1\r\nHost: a\r\nX-Slow: ', 6_000)
    assert.equal(res.status, 408)
    assert.deepEqual(JSON.parse(res.body), { message: 'Request Timeout' })
    assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`)
  })

  test('a request target over the limit is 414', async () => {
    const res = await fetch(`${gw.url}/public?${'q'.repeat(400)}`)
    assert.equal(res.status, 414)
  })

  test('a framing refusal closes the connection: a pipelined request behind it is never served', async () => {
    const res = await rawRequest(
      gw.url,
      'POST /public HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\nGET /public HTTP/1.1\r\nHost: a\r\n\r\n',
    )
    assert.equal(res.status, 400)
    assert.match(res.head, /\r\nconnection: close/i)
    assert.equal(res.body.includes('HTTP/1.1 200'), false)
  })

  test('framing Node accepts but a gateway must refuse is 400', async () => {
    const cases = [
      'GET /public HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n',
      'POST /public HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
      'POST /public HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET http://evil.example/public HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    ]
    for (const request of cases) {
      const res = await rawRequest(gw.url, request)
      assert.equal(res.status, 400, JSON.stringify(request))
    }
  })

  test('framing Node refuses (CL+TE, space before colon, obs-fold) is 400', async () => {
    const cases = [
      'POST /public HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET /public HTTP/1.1\r\nHost : a\r\n\r\n',
      'GET /public HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n',
    ]
    for (const request of cases) {
      const res = await rawRequest(gw.url, request)
      assert.equal(res.status, 400, JSON.stringify(request))
    }
  })

  test('a chunk size that overflows 64 bits, or is no number, is 400 and the connection closes', async () => {
    for (const size of ['ffffffffffffffffff', '10000000000000000', 'zz']) {
      const res = await rawRequest(
        gw.url,
        `POST /admin/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nabc\r\n0\r\n\r\n` +
          'GET /public HTTP/1.1\r\nHost: a\r\n\r\n',
      )
      assert.equal(res.status, 400, size)
      assert.deepEqual(JSON.parse(res.body), { message: 'Bad Request' }, size)
      assert.match(res.head, /\r\nconnection: close/i, size)
      assert.equal(res.body.includes('HTTP/1.1'), false, size)
    }
  })

  test('more than one Authorization header is 400 on every route, whatever their values', async () => {
    const cases = [
      'Authorization: Bearer a\r\nAuthorization: Bearer b\r\n',
      'Authorization: Bearer a\r\nauthorization: Bearer a\r\n',
      'Authorization: \r\nAuthorization: Bearer b\r\n',
    ]
    for (const headers of cases) {
      const res = await rawRequest(gw.url, `GET /public HTTP/1.1\r\nHost: a\r\n${headers}\r\n`)
      assert.equal(res.status, 400, headers)
      assert.deepEqual(JSON.parse(res.body), { message: 'Bad request' })
    }
    const one = await fetch(`${gw.url}/public`, { headers: { authorization: 'Bearer a, Bearer b' } })
    assert.equal(one.status, 200)
  })

  test('every spelling of a path reaches the route of its canonical form, and only that one', async () => {
    const spellings: [string, number, string | undefined][] = [
      ['//admin/x', 200, '/admin/x'],
      ['/%61dmin/x', 200, '/admin/x'],
      ['/public/../admin/x', 200, '/admin/x'],
      ['/public/%2e%2e/admin/x', 200, '/admin/x'],
      ['/admin/./x', 200, '/admin/x'],
      ['/ADMIN/x', 403, undefined],
      ['/admin;x=y/x', 403, undefined],
      ['/public?next=/admin/x', 200, '/public'],
      ['/public\\..\\admin/x', 400, undefined],
      ['/admin%2Fx', 400, undefined],
      ['/admin/%00', 400, undefined],
      ['/..;x/admin/x', 400, undefined],
    ]
    for (const [target, status, path] of spellings) {
      const res = await rawRequest(gw.url, `GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`)
      assert.equal(res.status, status, target)
      if (path !== undefined) assert.equal((JSON.parse(res.body) as { path: string }).path, path, target)
    }
  })
})

describe('gateway responses', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi(
        { '/boom': { get: lambdaOp('boom') } },
        {
          'x-amazon-apigateway-gateway-responses': {
            MISSING_AUTHENTICATION_TOKEN: {
              statusCode: '404',
              responseParameters: {
                'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
                'gatewayresponse.header.X-Echo': 'method.request.header.X-Trace',
              },
              responseTemplates: {
                'application/json':
                  '{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId"}',
              },
            },
            DEFAULT_5XX: { responseTemplates: { 'application/json': '{"oops":"$context.error.message"}' } },
          },
        },
      ),
      { 'boom.mjs': 'export const handler = async () => { throw new Error("x") }\n' },
    )
  })
  after(() => gw.close())

  test('a customised type sets status, headers from static and request values, and the template', async () => {
    const res = await fetch(`${gw.url}/missing`, { headers: { 'X-Trace': 'abc' } })
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.equal(res.headers.get('x-echo'), 'abc')
    const body = (await res.json()) as Record<string, string>
    assert.equal(body.error, 'Missing Authentication Token')
    assert.equal(body.type, 'MISSING_AUTHENTICATION_TOKEN')
    assert.equal(body.id, res.headers.get('x-amzn-requestid'))
  })

  test('DEFAULT_5XX customises 5xx types that have no entry of their own, keeping their status', async () => {
    const res = await fetch(`${gw.url}/boom`)
    assert.equal(res.status, 502)
    assert.deepEqual(await res.json(), { oops: 'Internal server error' })
  })
})

describe('trusted proxies', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi({ '/ip': { get: lambdaOp('ip') } }),
      {
        'ip.mjs':
          'export const handler = async (e) => ({ statusCode: 200, body: e.requestContext.identity.sourceIp })\n',
      },
      'server:\n  trustedProxyHops: 1\n',
    )
  })
  after(() => gw.close())

  test('with one trusted hop, the source IP is the address that proxy saw; earlier entries are ignored', async () => {
    const res = await fetch(`${gw.url}/ip`, { headers: { 'x-forwarded-for': '10.0.0.1, 203.0.113.9' } })
    assert.equal(await res.text(), '203.0.113.9')
    const direct = await fetch(`${gw.url}/ip`)
    assert.equal(await direct.text(), '127.0.0.1')
  })
})

describe('untrusted X-Forwarded-For (the default)', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(openapi({ '/ip': { get: lambdaOp('ip') } }), {
      'ip.mjs':
        'export const handler = async (e) => ({ statusCode: 200, body: e.requestContext.identity.sourceIp })\n',
    })
  })
  after(() => gw.close())

  test('a client-sent X-Forwarded-For never changes the source IP', async () => {
    const res = await fetch(`${gw.url}/ip`, { headers: { 'x-forwarded-for': '10.0.0.1' } })
    assert.equal(await res.text(), '127.0.0.1')
  })
})
