/**
 * The soak's upstream and JWT issuer, in the harness's process: discovery and the (rotating)
 * JWKS under /.well-known, a small JSON answer on every other path that counts the request body
 * it read, and a switch that resets every connection (the upstream failing under the gateway).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Keyring } from './keys.ts'

export interface Upstream {
  readonly url: string
  /** While true, every request's connection is destroyed without an answer. */
  resetting: boolean
  close(): Promise<void>
}

export async function startUpstream(keyring: () => Keyring): Promise<Upstream> {
  const state = { resetting: false }
  let url = ''
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/.well-known/jwks.json` }))
    }
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify(keyring().jwks()))
    }
    if (state.resetting) return void req.socket.destroy()
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: true, bytes }))
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    get resetting() {
      return state.resetting
    },
    set resetting(v: boolean) {
      state.resetting = v
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
