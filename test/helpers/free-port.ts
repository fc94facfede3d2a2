import { createServer } from 'node:net'

/**
 * A loopback port nobody listens on right now, for the rare test that must name a port before
 * the process that listens on it starts (an OAuth redirect URI registered ahead of the login
 * command). Everything else listens on port 0.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
