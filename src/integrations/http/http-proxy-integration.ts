import type { IncomingHttpHeaders } from 'node:http'
import type { Writable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts'
import { withoutGatewayCookies } from '../../http/gateway-cookies.ts'
import { isGatewayOwnedHeader } from '../../http/gateway-owned-headers.ts'
import { connectionNominated, HOP_BY_HOP } from '../../http/hop-by-hop.ts'
import { limitBody } from '../../http/read-body.ts'
import { activeTraceparent } from '../../observability/traceparent.ts'
import type { Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import { upstreamCause } from './upstream-cause.ts'
import type { UpstreamPools } from './upstream-pools.ts'
import { compileUriTemplate, type UriTemplate } from './uri-template.ts'

export interface HttpProxyOptions {
  readonly uri: string
  readonly httpMethod: string | undefined
  readonly timeoutMs: number
  /** Header names (lower case) the gateway strips from clients because it sets them itself. */
  readonly trustedHeaderNames: ReadonlySet<string>
  /** Streamed request bodies fail with 413 past this many bytes. */
  readonly maxBodyBytes: number
  readonly pools: UpstreamPools
}

const UPSTREAM_ERRORS_TIMEOUT = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
])

const STREAMED: IntegrationResult = Object.freeze({ kind: 'streamed' })

/**
 * `http_proxy`: streams the request to the upstream over a pooled keep-alive client and streams
 * the answer back: the upstream's status and headers go to the respond stage's stream writer,
 * which writes the head and hands back the response the body is piped into. Both directions
 * drop hop-by-hop headers; forwarding, AWS and `x-forcegate-*` headers are the gateway's own,
 * and its cookies stay with it. Redirects are never followed.
 */
export function createHttpProxyIntegration(options: HttpProxyOptions): Integration {
  const template: UriTemplate = compileUriTemplate(options.uri)
  const pool = options.pools.get(template.origin, options.timeoutMs)
  return {
    type: 'http_proxy',
    description: `http ${options.httpMethod ?? 'ANY'} ${options.uri} (timeout ${options.timeoutMs} ms)`,
    needsBody: false,
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      const req = call.view.request
      const path = template.path(call.view.pathParameters, req.rawQuery)
      const method =
        options.httpMethod === undefined || options.httpMethod === 'ANY' ? req.method : options.httpMethod
      const headers = upstreamHeaders(call, template.host, options.trustedHeaderNames)
      const hasBody = req.headers.has('content-length') || req.headers.has('transfer-encoding')
      // A client that goes away cancels its upstream request, so it cannot hold a pooled
      // connection. undici takes any emitter of 'abort' as a signal; the response itself
      // serves, since an AbortController per request cost ~5% of passthrough throughput.
      let clientGone = false
      const onClose = (): void => {
        if (call.outgoing.writableFinished) return
        clientGone = true
        call.outgoing.emit('abort')
      }
      call.outgoing.once('close', onClose)
      try {
        await pool.stream<IntegrationCall>(
          {
            path,
            method,
            headers,
            body: !hasBody
              ? null
              : req.headers.has('content-length')
                ? call.incoming
                : limitBody(call.incoming, options.maxBodyBytes),
            opaque: call,
            signal: call.outgoing,
          },
          downstream,
        )
      } catch (err) {
        // respond answered a head HTTP cannot carry itself: that answer is complete.
        if (call.outgoing.writableEnded) return STREAMED
        if (call.outgoing.headersSent || clientGone) {
          call.outgoing.destroy()
          return STREAMED
        }
        const limited = isGatewayError(err)
          ? err
          : isGatewayError((err as Error).cause)
            ? (err as Error).cause
            : undefined
        if (limited !== undefined) throw limited
        const code = (err as { code?: string }).code ?? ''
        if (UPSTREAM_ERRORS_TIMEOUT.has(code)) {
          throw new GatewayError('GW_INTEGRATION_TIMEOUT', {
            reason: 'upstream.timeout',
            detail: `${template.origin}: ${code}`,
          })
        }
        throw new GatewayError('GW_UPSTREAM_UNREACHABLE', {
          reason: 'upstream.unreachable',
          detail: `${template.origin}: ${upstreamCause(code, err)}`,
        })
      } finally {
        call.outgoing.off('close', onClose)
      }
      return STREAMED
    },
  }
}

/** The upstream answered: respond writes the head; the body is piped into what it returns. */
function downstream({
  statusCode,
  headers,
  opaque,
}: Dispatcher.StreamFactoryData<IntegrationCall>): Writable {
  return opaque.respond.head(opaque, statusCode, downstreamHeaders(headers))
}

function upstreamHeaders(call: IntegrationCall, host: string, trusted: ReadonlySet<string>): string[] {
  const req = call.view.request
  const nominated = connectionNominated(req.headers.get('connection'))
  // Traced, the upstream's parent is the gateway's span, not the caller's.
  const traceparent = activeTraceparent()
  const out: string[] = []
  for (const [name, raw] of req.rawHeaders) {
    const lower = name.toLowerCase()
    if (HOP_BY_HOP.has(lower) || nominated.has(lower) || isGatewayOwnedHeader(lower) || trusted.has(lower))
      continue
    if (lower === 'host' || lower === 'expect') continue
    if (traceparent !== undefined && lower === 'traceparent') continue
    const value = lower === 'cookie' ? withoutGatewayCookies(raw) : raw
    if (value !== undefined) out.push(name, value)
  }
  out.push('host', host)
  out.push('x-forwarded-for', req.forwardedFor ?? req.sourceIp)
  out.push('x-forwarded-proto', 'http')
  const clientHost = req.headers.get('host')?.[0]
  if (clientHost !== undefined) out.push('x-forwarded-host', clientHost)
  for (const [name, value] of call.identityHeaders) out.push(name, value)
  if (traceparent !== undefined) out.push('traceparent', traceparent)
  return out
}

function downstreamHeaders(upstream: IncomingHttpHeaders): Record<string, string | string[]> {
  const nominated = connectionNominated(
    upstream.connection === undefined ? undefined : ([] as string[]).concat(upstream.connection),
  )
  const out: Record<string, string | string[]> = {}
  for (const name in upstream) {
    const value = upstream[name]
    if (value === undefined || HOP_BY_HOP.has(name) || nominated.has(name)) continue
    out[name] = value
  }
  return out
}
