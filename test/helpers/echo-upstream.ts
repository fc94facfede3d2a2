import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly bodyLength: number
}

export interface EchoUpstream {
  readonly url: string
  readonly seen: SeenRequest[]
  /** Requests whose client (the gateway) went away before the answer was sent. */
  readonly abandoned: () => number
  close(): Promise<void>
}

/**
 * A local upstream that records what reached it and answers with it as JSON. `/slow` never
 * answers; `/hop` answers with hop-by-hop headers the gateway must drop.
 */
export async function startEchoUpstream(): Promise<EchoUpstream> {
  const seen: SeenRequest[] = []
  let abandoned = 0
  const server: Server = createServer((req, res) => {
    res.once('close', () => {
      if (!res.writableFinished) abandoned++
    })
    let bodyLength = 0
    req.on('data', (c: Buffer) => (bodyLength += c.length))
    req.on('end', () => {
      const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyLength }
      seen.push(record)
      if (req.url?.startsWith('/slow')) return
      if (req.url?.startsWith('/hop')) {
        res.writeHead(200, {
          connection: 'x-internal',
          'x-internal': 'secret',
          'keep-alive': 'timeout=5',
          'x-visible': 'yes',
        })
        res.end('hop')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['u1=a', 'u2=b'] })
      res.end(JSON.stringify(record))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    abandoned: () => abandoned,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
