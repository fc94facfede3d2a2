import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { cookiePolicyFor } from '../../src/portal/cookie-policy.ts'
import { type EchoUpstream, startEchoUpstream } from '../helpers/echo-upstream.ts'
import { rawRequest } from '../helpers/raw-http.ts'
import { lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const proxy = (uri: string, extra: Record<string, unknown> = {}) => ({
  'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri, ...extra },
})

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

describe('http_proxy', () => {
  let upstream: EchoUpstream
  let gw: TestGateway
  before(async () => {
    upstream = await startEchoUpstream()
    const dead = await closedPort()
    gw = await startTestGateway(
      openapi({
        '/api/{proxy+}': { 'x-amazon-apigateway-any-method': proxy(`${upstream.url}/v1/{proxy}`) },
        '/slow': { get: proxy(`${upstream.url}/slow`, { timeoutInMillis: 300 }) },
        '/hop': { get: proxy(`${upstream.url}/hop`) },
        '/dead': { get: proxy(`http://127.0.0.1:${dead}/x`) },
      }),
    )
  })
  after(async () => {
    await gw.close()
    await upstream.close()
  })

  test('forwards the canonical path with parameters filled and the query kept', async () => {
    const res = await fetch(`${gw.url}/api/orders/42?view=full&x=%20y`)
    assert.equal(res.status, 200)
    const seen = (await res.json()) as { url: string; method: string }
    assert.equal(seen.url, '/v1/orders/42?view=full&x=%20y')
    assert.equal(seen.method, 'GET')
    assert.deepEqual(res.headers.getSetCookie(), ['u1=a', 'u2=b'])
  })

  test('strips hop-by-hop and client forwarding headers, sets its own X-Forwarded-*', async () => {
    const res = await rawRequest(
      gw.url,
      'GET /api/h HTTP/1.1\r\nHost: public.example\r\nConnection: close, X-Gateway-Principal, X-Drop-Me\r\n' +
        'X-Drop-Me: 1\r\nTE: trailers\r\nUpgrade: h2c\r\nProxy-Authorization: Basic eA==\r\nKeep-Alive: timeout=9\r\n' +
        'X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Uri: /admin\r\nForwarded: for=10.0.0.1\r\nX-Real-IP: 10.0.0.1\r\nX-Kept: yes\r\n\r\n',
    )
    assert.equal(res.status, 200)
    const seen = JSON.parse(res.body) as { headers: Record<string, string> }
    for (const name of [
      'x-drop-me',
      'te',
      'upgrade',
      'proxy-authorization',
      'keep-alive',
      'x-forwarded-uri',
      'forwarded',
      'x-real-ip',
    ]) {
      assert.equal(seen.headers[name], undefined, `${name} reached the upstream`)
    }
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1')
    assert.equal(seen.headers['x-forwarded-host'], 'public.example')
    assert.equal(seen.headers['x-kept'], 'yes')
    assert.notEqual(seen.headers.host, 'public.example')
  })

  test('strips hop-by-hop headers from the upstream response', async () => {
    const res = await fetch(`${gw.url}/hop`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('x-internal'), null)
    assert.equal(res.headers.get('x-visible'), 'yes')
    assert.equal(await res.text(), 'hop')
  })

  test('streams a large request body through', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7)
    const res = await fetch(`${gw.url}/api/upload`, { method: 'POST', body })
    const seen = (await res.json()) as { bodyLength: number; method: string }
    assert.equal(seen.method, 'POST')
    assert.equal(seen.bodyLength, body.length)
  })

  test('an upstream that refuses connections is 502; one that does not answer in time is 504', async () => {
    const dead = await fetch(`${gw.url}/dead`)
    assert.equal(dead.status, 502)
    const slow = await fetch(`${gw.url}/slow`)
    assert.equal(slow.status, 504)
    assert.deepEqual(await slow.json(), { message: 'Endpoint request timed out' })
  })

  test('an encoded slash never reaches a route other than the one authorized: 400', async () => {
    const res = await rawRequest(
      gw.url,
      'GET /api/a%2F..%2Fadmin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    )
    assert.equal(res.status, 400)
  })
})

describe('http_proxy limits and identity hygiene', () => {
  let upstream: EchoUpstream
  let gw: TestGateway
  before(async () => {
    upstream = await startEchoUpstream()
    gw = await startTestGateway(
      openapi({
        '/up': { post: proxy(`${upstream.url}/up`) },
        '/open': { get: proxy(`${upstream.url}/open`) },
        '/slow': { get: proxy(`${upstream.url}/slow`, { timeoutInMillis: 5000 }) },
      }),
      {},
      'server:\n  maxBodyBytes: 1024\n',
    )
  })
  after(async () => {
    await gw.close()
    await upstream.close()
  })

  test('a chunked body over the limit is 413 and the connection closes', async () => {
    const chunk = 'a'.repeat(4096)
    const res = await rawRequest(
      gw.url,
      `POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${(4096).toString(16)}\r\n${chunk}\r\n${(4096).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    )
    assert.equal(res.status, 413)
  })

  test('x-forcegate-* headers from a client never reach an upstream, whatever the route', async () => {
    const res = await fetch(`${gw.url}/open`, {
      headers: { 'x-forcegate-user-id': '005ADMIN', 'x-forcegate-anything': '1' },
    })
    const seen = (await res.json()) as { headers: Record<string, string> }
    assert.equal(seen.headers['x-forcegate-user-id'], undefined)
    assert.equal(seen.headers['x-forcegate-anything'], undefined)
  })

  test('a client that goes away cancels its upstream request', async () => {
    const before = upstream.abandoned()
    const controller = new AbortController()
    const pending = fetch(`${gw.url}/slow`, { signal: controller.signal }).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 150))
    controller.abort()
    await pending
    const deadline = Date.now() + 2_000
    while (upstream.abandoned() === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25))
    assert.equal(upstream.abandoned(), before + 1)
  })
})

describe('http_proxy: headers and cookies the gateway owns', () => {
  let upstream: EchoUpstream
  let gw: TestGateway
  before(async () => {
    upstream = await startEchoUpstream()
    gw = await startTestGateway(
      openapi(
        {
          '/open': { get: proxy(`${upstream.url}/open`) },
          '/secure': { get: { ...proxy(`${upstream.url}/secure`), security: [{ bearer: [] }] } },
        },
        {
          components: {
            securitySchemes: {
              bearer: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authtype': 'custom',
                'x-amazon-apigateway-authorizer': {
                  type: 'token',
                  authorizerUri: lambdaUri('token-auth'),
                  authorizerResultTtlInSeconds: 0,
                },
              },
            },
          },
        },
      ),
      { 'token-auth.mjs': TOKEN_AUTHORIZER },
      'server:\n  maxBodyBytes: 1024\n',
    )
  })
  after(async () => {
    await gw.close()
    await upstream.close()
  })

  const seenBy = (res: { body: string }) => JSON.parse(res.body) as { headers: Record<string, string> }

  test("the portal's cookies never reach an upstream; the user's other cookies do, in order", async () => {
    const names = [
      ...Object.values(cookiePolicyFor('https://portal.example')),
      ...Object.values(cookiePolicyFor('http://127.0.0.1:8080')),
    ].filter((v): v is string => typeof v === 'string')
    assert.equal(names.length, 4)
    const gateway = names.map((name, i) => `${name}=v${i}`).join('; ')
    const res = await rawRequest(
      gw.url,
      `GET /open HTTP/1.1\r\nHost: a\r\nCookie: theme=dark; ${gateway}; lang=en\r\nConnection: close\r\n\r\n`,
    )
    assert.equal(res.status, 200)
    assert.equal(seenBy(res).headers.cookie, 'theme=dark; lang=en')
    const only = await rawRequest(
      gw.url,
      `GET /open HTTP/1.1\r\nHost: a\r\nCookie: ${gateway}\r\nConnection: close\r\n\r\n`,
    )
    assert.equal(seenBy(only).headers.cookie, undefined)
    const untouched = await rawRequest(
      gw.url,
      'GET /open HTTP/1.1\r\nHost: a\r\nCookie: a=1;b=2\r\nConnection: close\r\n\r\n',
    )
    assert.equal(seenBy(untouched).headers.cookie, 'a=1;b=2')
  })

  test('client copies of forwarding, rewrite, AWS and API Gateway headers never reach an upstream', async () => {
    const owned = [
      'X-Forwarded-Prefix',
      'X-Forwarded-Uri',
      'X-Forwarded-Port',
      'X-Forwarded-Server',
      'X-Original-URI',
      'X-Original-URL',
      'X-Rewrite-URL',
      'X-Amzn-Oidc-Identity',
      'X-Amzn-Oidc-Data',
      'X-Amzn-Oidc-Accesstoken',
      'X-Amzn-RequestId',
      'X-Amzn-Apigateway-Api-Id',
      'X-Amzn-Remapped-Authorization',
      'X-Amzn-Trace-Id',
      'X-Amzn-Anything-Else',
      'X-Apigateway-Event',
      'X-Apigateway-Context',
      'X-Forcegate-User-Id',
    ]
    const res = await rawRequest(
      gw.url,
      `GET /open HTTP/1.1\r\nHost: public.example\r\n${owned.map((n) => `${n}: forged\r\n`).join('')}` +
        'X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n' +
        'X-Amz-Date: 20240101T000000Z\r\nX-Kept: yes\r\nConnection: close\r\n\r\n',
    )
    assert.equal(res.status, 200)
    const { headers } = seenBy(res)
    for (const name of owned)
      assert.equal(headers[name.toLowerCase()], undefined, `${name} reached the upstream`)
    assert.equal(headers['x-forwarded-for'], '127.0.0.1')
    assert.equal(headers['x-forwarded-host'], 'public.example')
    assert.equal(headers['x-forwarded-proto'], 'http')
    assert.equal(headers['x-kept'], 'yes')
    assert.equal(headers['x-amz-date'], '20240101T000000Z')
  })

  test('two Authorization headers are 400 before the authorizer runs, with no upstream call', async () => {
    const calls = (globalThis as { tokenAuthorizerCalls?: number }).tokenAuthorizerCalls ?? 0
    const before = upstream.seen.length
    const res = await rawRequest(
      gw.url,
      'GET /secure HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer forged\r\nAuthorization: Bearer valid\r\n\r\n',
    )
    assert.equal(res.status, 400)
    assert.deepEqual(JSON.parse(res.body), { message: 'Bad request' })
    assert.match(res.head, /\r\nconnection: close/i)
    assert.equal(upstream.seen.length, before)
    assert.equal((globalThis as { tokenAuthorizerCalls?: number }).tokenAuthorizerCalls ?? 0, calls)
    // The same valid credential alone is served, so the 400 is about the duplicate only.
    const one = await fetch(`${gw.url}/secure`, { headers: { authorization: 'Bearer valid' } })
    assert.equal(one.status, 200)
    const open = await rawRequest(
      gw.url,
      'GET /open HTTP/1.1\r\nHost: a\r\nauthorization: Basic eDp5\r\nAUTHORIZATION: Basic eDp5\r\n\r\n',
    )
    assert.equal(open.status, 400)
    assert.equal(upstream.seen.length, before + 1)
  })

  test('a chunk size that overflows is 400 and the connection closes, like any other framing error', async () => {
    for (const size of ['ffffffffffffffffff', '1ffffffffffffffff', 'zz']) {
      const res = await rawRequest(
        gw.url,
        `GET /open HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nabc\r\n0\r\n\r\n`,
      )
      assert.equal(res.status, 400, size)
      assert.match(res.head, /\r\nconnection: close/i, size)
    }
  })
})

/** Allows exactly `Bearer valid`, counting its calls where the test can read them. */
const TOKEN_AUTHORIZER = `export const handler = async (event) => {
  globalThis.tokenAuthorizerCalls = (globalThis.tokenAuthorizerCalls ?? 0) + 1
  if (event.authorizationToken !== 'Bearer valid') throw new Error('Unauthorized')
  return {
    principalId: 'user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
  }
}
`
