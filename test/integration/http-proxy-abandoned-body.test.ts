import assert from 'node:assert/strict'
import { connect, createServer, type Server } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { type EchoUpstream, startEchoUpstream } from '../helpers/echo-upstream.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const proxy = (uri: string) => ({
  'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri },
})

/** An upstream that resets every connection as soon as a request starts arriving. */
async function resettingUpstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => socket.once('data', () => socket.resetAndDestroy()))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }
}

/** Sends `payload` on one connection and collects everything until the gateway closes it. */
function exchange(url: string, payload: Buffer): Promise<{ text: string; error: string | undefined }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    let error: string | undefined
    const timer = setTimeout(() => socket.destroy(), 10_000)
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ text: Buffer.concat(chunks).toString('latin1'), error })
    })
    socket.write(payload)
  })
}

describe('http_proxy: an upstream that fails while the client is still sending its body', () => {
  let reset: { server: Server; url: string }
  let echo: EchoUpstream
  let gw: TestGateway
  before(async () => {
    reset = await resettingUpstream()
    echo = await startEchoUpstream()
    gw = await startTestGateway(
      openapi({ '/up': { post: proxy(`${reset.url}/up`) }, '/ok': { get: proxy(`${echo.url}/ok`) } }),
    )
  })
  after(async () => {
    await gw.close()
    await echo.close()
    await new Promise<void>((r) => reset.server.close(() => r()))
  })

  test('answers 502 and closes the connection it can no longer read, never a reset for the next request', async () => {
    // A body the gateway cannot finish reading, then a second request on the same connection.
    const body = Buffer.alloc(1024 * 1024, 'a')
    for (let round = 0; round < 6; round++) {
      const payload = Buffer.concat([
        Buffer.from(`POST /up HTTP/1.1\r\nHost: gw\r\nContent-Length: ${body.length}\r\n\r\n`),
        body,
        Buffer.from('GET /ok HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n'),
      ])
      const { text, error } = await exchange(gw.url, payload)
      assert.match(text, /^HTTP\/1\.1 502 /, `round ${round}: ${text.slice(0, 200)} (${error})`)
      const head = text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase()
      // Either the gateway says it closes (and the client retries elsewhere), or it answers the
      // next request: what it must not do is keep the connection alive and then reset it.
      if (!head.includes('connection: close'))
        assert.match(
          text,
          /HTTP\/1\.1 200 /,
          `round ${round}: keep-alive promised, then ${error ?? 'closed'}`,
        )
    }
  })
})
