import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The one path a separate metrics listener answers. */
const METRICS_PATH = '/_forcegate/metrics'

export interface MetricsListener {
  readonly url: string
  close(): Promise<void>
}

/**
 * Metrics in the clear on their own port, for a scraper on a network the API's callers cannot
 * reach: the API's listener never answers them without the token. Listens on the API's host
 * unless told otherwise; nothing without metrics or a port.
 */
export async function listenForMetrics(
  metrics: { render(): Promise<string>; readonly contentType: string } | undefined,
  options: { readonly port?: number; readonly host?: string } | undefined,
  apiHost: string,
): Promise<MetricsListener | undefined> {
  const port = options?.port
  if (metrics === undefined || port === undefined) return undefined
  const host = options?.host ?? apiHost
  const server: Server = createServer((req, res) => {
    const path = req.url?.split('?')[0]
    if (path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    metrics.render().then(
      (text) =>
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${shown}:${address.port}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
