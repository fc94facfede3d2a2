/**
 * The soak's requests: one function per kind, each answering the status it got (0 when the
 * connection failed) and how long it took. Everything goes to the gateway on 127.0.0.1 through
 * one undici pool, except the slow client, which trickles its body over a socket of its own.
 */
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { Pool } from 'undici'
import type { RequestKind } from './expectations.ts'
import type { Keyring } from './keys.ts'

export interface Credentials {
  readonly keyring: () => Keyring
  /** The dev org's opaque access token (its introspection is cached for a few seconds). */
  readonly sfToken: string
}

/** The mix, as weights: mostly authorized traffic, with every other kind present. */
export const MIX: readonly (readonly [RequestKind, number])[] = [
  ['jwt-cached', 30],
  ['jwt-new', 10],
  ['jwt-invalid', 10],
  ['no-credential', 3],
  ['sf-valid', 12],
  ['sf-invalid', 5],
  ['lambda-ok', 12],
  ['lambda-error', 4],
  ['lambda-timeout', 1],
  ['large-body', 2],
  ['slow-client', 1],
]

const TOTAL = MIX.reduce((n, [, w]) => n + w, 0)

export function pickKind(random: number): RequestKind {
  let r = random * TOTAL
  for (const [kind, w] of MIX) {
    r -= w
    if (r < 0) return kind
  }
  return MIX[0]![0]
}

const LARGE_BODY = Buffer.alloc(1024 * 1024, 'a')
const TIMEOUT_MS = 15_000

export class Traffic {
  private readonly pool: Pool
  private invalidCount = 0
  /** Why requests got no answer (undici's error codes), for the report. */
  readonly failures = new Map<string, number>()

  private readonly gatewayUrl: string
  private readonly creds: Credentials

  constructor(gatewayUrl: string, creds: Credentials, connections: number) {
    this.gatewayUrl = gatewayUrl
    this.creds = creds
    this.pool = new Pool(gatewayUrl, { connections, pipelining: 1, keepAliveTimeout: 10_000 })
  }

  async send(kind: RequestKind): Promise<number> {
    if (kind === 'slow-client') return slowClient(this.gatewayUrl)
    const headers: Record<string, string> = {}
    let path = '/jwt/items'
    let method: 'GET' | 'POST' = 'GET'
    let body: Buffer | null = null
    const ring = this.creds.keyring()
    switch (kind) {
      case 'jwt-cached':
        headers.authorization = `Bearer ${ring.cachedToken()}`
        break
      case 'jwt-new':
        headers.authorization = `Bearer ${ring.newToken()}`
        break
      case 'jwt-invalid':
        headers.authorization = `Bearer ${ring.invalidToken(this.invalidCount++)}`
        break
      case 'no-credential':
        break
      case 'sf-valid':
        path = '/sf/items'
        headers.authorization = `Bearer ${this.creds.sfToken}`
        break
      case 'sf-invalid':
        path = '/sf/items'
        headers.authorization = `Bearer 00D000000000001!${randomUUID().replaceAll('-', '')}`
        break
      case 'lambda-ok':
        path = '/fn/ok'
        break
      case 'lambda-error':
        path = '/fn/error'
        break
      case 'lambda-timeout':
        path = '/fn/slow'
        break
      case 'large-body':
        path = '/open/upload'
        method = 'POST'
        body = LARGE_BODY
        headers['content-type'] = 'application/octet-stream'
        break
    }
    try {
      const res = await this.pool.request({
        path,
        method,
        headers,
        body,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      })
      await res.body.dump()
      return res.statusCode
    } catch (error) {
      const code = `${kind}: ${(error as { code?: string }).code ?? (error as Error).name}`
      this.failures.set(code, (this.failures.get(code) ?? 0) + 1)
      return 0
    }
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}

/** A client that sends 2 KB of body in 100-byte pieces, one every 100 ms, then reads the status. */
function slowClient(gatewayUrl: string): Promise<number> {
  const url = new URL(gatewayUrl)
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    let answer = ''
    let sent = 0
    let timer: NodeJS.Timeout | undefined
    const finish = (status: number) => {
      clearInterval(timer)
      clearTimeout(deadline)
      socket.destroy()
      resolve(status)
    }
    const deadline = setTimeout(() => finish(0), TIMEOUT_MS)
    socket.once('connect', () => {
      socket.write(
        'POST /open/slow HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\ncontent-length: 2000\r\nconnection: close\r\n\r\n',
      )
      timer = setInterval(() => {
        if (sent >= 2000) return clearInterval(timer)
        socket.write('b'.repeat(100))
        sent += 100
      }, 100)
    })
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1')
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer)
      if (m !== null) finish(Number(m[1]))
    })
    socket.once('error', () => finish(0))
    socket.once('close', () => finish(0))
  })
}
