import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { ERRORS } from '../errors/codes.ts'
import { disableAllocationSitePretenuring } from './allocation-site-pretenuring.ts'

export interface ServerLimits {
  readonly headersTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly keepAliveTimeoutMs: number
  readonly maxHeaderBytes: number
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

// Answered before any route exists, so from the error table directly (no gateway responses).
const CLIENT_ERRORS: Record<string, readonly [number, string]> = {
  HPE_HEADER_OVERFLOW: [ERRORS.GW_HEADERS_TOO_LARGE.status, ERRORS.GW_HEADERS_TOO_LARGE.message],
  ERR_HTTP_REQUEST_TIMEOUT: [ERRORS.GW_REQUEST_TIMEOUT.status, ERRORS.GW_REQUEST_TIMEOUT.message],
}

/**
 * A plain node:http server with the edge limits set. Malformed framing never reaches the
 * pipeline: Node's parser rejects it, and we answer 400/408/431 with a JSON body and close.
 * The handler is never allowed to throw into Node.
 */
export function createHttpServer(
  limits: ServerLimits,
  handler: Handler,
  onError: (err: unknown) => void,
): Server {
  disableAllocationSitePretenuring()
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the header and request timeouts on this interval (30 s by default), which
      // would let a slow client hold a socket far past headersTimeout.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      requireHostHeader: true,
      insecureHTTPParser: false,
    },
    (req, res) => {
      handler(req, res).catch((err: unknown) => {
        onError(err)
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end('{"message":"Internal server error"}')
        } else res.destroy()
      })
    },
  )
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A body framing error (a bad or overflowing chunk size) arrives while the request is
    // already in the pipeline. Until that request's answer has started, the client is still
    // owed one: the 400 goes out and the connection ends, so nothing the pipeline writes
    // later can follow it. Once an answer has started, only closing is left.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy()
      return
    }
    const [status, text] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request']
    const body = `{"message":"${text}"}`
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    )
  })
  return server
}
