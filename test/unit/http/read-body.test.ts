import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { test } from 'node:test'
import { readBody } from '../../../src/http/read-body.ts'

test('reading the body of a client that already went away rejects at once instead of hanging', async () => {
  let outcome: Promise<unknown> | undefined
  const reached = new Promise<void>((resolve) => {
    const server = createServer((req) => {
      // Like a request whose authorizer runs first: the body is read only later.
      setTimeout(() => {
        outcome = readBody(req, 1_000).then(
          () => 'resolved',
          (err: { reason?: string }) => err.reason,
        )
        resolve()
      }, 200)
    })
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789')
        setTimeout(() => socket.destroy(), 50)
      })
      setTimeout(() => server.close(), 1_500)
    })
  })
  await reached
  const result = await Promise.race([
    outcome,
    new Promise((r) => setTimeout(() => r('still pending'), 1_000)),
  ])
  assert.equal(result, 'receive.body_aborted')
})
