import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { GatewayRequest } from '../../http/gateway-request.ts'
import { normalizeTarget } from '../../http/normalize-path.ts'
import type { RequestContext } from '../request-context.ts'

export interface ReceiveLimits {
  readonly maxBodyBytes: number
  readonly maxUrlBytes: number
  readonly trustedProxyHops: number
}

/** receive: the request as every later stage sees it. */
export function receiveStage(ctx: RequestContext): undefined {
  const req = receive(ctx.incoming, ctx.requestId, ctx.started, ctx.table.limits)
  ctx.req = req
  ctx.explain?.({ step: 'receive', canonicalPath: req.path, query: req.rawQuery })
  return undefined
}

/**
 * The checks: framing Node's parser leaves to us (two Host headers, absolute-form targets,
 * Transfer-Encoding on HTTP/1.0 or in any form but exactly `chunked`), more than one
 * Authorization header, size limits known up front, and the one canonical path every later
 * stage uses.
 */
export function receive(
  incoming: IncomingMessage,
  requestId: string,
  receivedAt: number,
  limits: ReceiveLimits,
): GatewayRequest {
  const target = incoming.url ?? '/'
  if (target.length > limits.maxUrlBytes)
    throw new GatewayError('GW_URI_TOO_LONG', { reason: 'receive.url_length' })
  const raw = incoming.rawHeaders
  const rawHeaders: [string, string][] = []
  const headers = new Map<string, string[]>()
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    const value = raw[i + 1]!
    rawHeaders.push([name, value])
    const lower = name.toLowerCase()
    const list = headers.get(lower)
    if (list === undefined) headers.set(lower, [value])
    else list.push(value)
  }
  if ((headers.get('host')?.length ?? 0) > 1)
    throw new GatewayError('GW_BAD_REQUEST', { reason: 'receive.duplicate_host' })
  // One credential per request (RFC 6750 §3.1): an authorizer checks one value while an upstream
  // may read another (Node keeps the first, a Lambda's `headers` map the last).
  if ((headers.get('authorization')?.length ?? 0) > 1)
    throw new GatewayError('GW_DUPLICATE_AUTHORIZATION', { reason: 'receive.duplicate_authorization' })
  const te = headers.get('transfer-encoding')
  if (
    te !== undefined &&
    (incoming.httpVersion === '1.0' || te.length !== 1 || te[0]!.trim().toLowerCase() !== 'chunked')
  ) {
    throw new GatewayError('GW_BAD_REQUEST', { reason: 'receive.transfer_encoding' })
  }
  const length = headers.get('content-length')?.[0]
  if (length !== undefined && Number(length) > limits.maxBodyBytes) {
    throw new GatewayError('GW_BODY_TOO_LARGE', { reason: 'receive.content_length' })
  }
  const normalized = normalizeTarget(target)
  if (!normalized.ok)
    throw new GatewayError('GW_BAD_PATH', { reason: 'receive.path', detail: normalized.reason })
  // A socket already gone has no address; never pretend it was loopback.
  const peer = incoming.socket.remoteAddress?.replace(/^::ffff:/, '') ?? ''
  const forwarded =
    limits.trustedProxyHops > 0 ? forwardedChain(headers.get('x-forwarded-for'), peer) : undefined
  return {
    requestId,
    method: incoming.method ?? 'GET',
    path: normalized.path,
    rawQuery: normalized.rawQuery,
    rawHeaders,
    headers,
    // Only the hops the operator vouches for count: a client can prepend anything it likes.
    sourceIp:
      forwarded === undefined
        ? peer
        : (forwarded[forwarded.length - 1 - limits.trustedProxyHops] ?? forwarded[0]!),
    ...(forwarded === undefined ? {} : { forwardedFor: forwarded.join(', ') }),
    protocol: `HTTP/${incoming.httpVersion}`,
    receivedAt,
    body: undefined,
  }
}

function forwardedChain(values: readonly string[] | undefined, peer: string): string[] {
  const chain: string[] = []
  for (const value of values ?? []) {
    for (const hop of value.split(',')) {
      const address = hop.trim()
      if (address !== '') chain.push(address)
    }
  }
  chain.push(peer)
  return chain
}
