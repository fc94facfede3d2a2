import type { Writable } from 'node:stream'
import type { InvalidHeaderAnswer } from '../../dialect/api-dialect.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { renderError } from '../../errors/render-error.ts'
import type { RequestView } from '../../events/request-view.ts'
import { HOP_BY_HOP } from '../../http/hop-by-hop.ts'
import type { IntegrationCall, ResponseSink, StreamResponder } from '../../integrations/types.ts'
import type { BufferedResponse } from '../../lib/buffered-response.ts'
import type { RequestContext } from '../request-context.ts'
import { templateScopeOf } from '../template-scope-of.ts'

/** Headers the gateway frames itself; a function's copies travel as `x-amzn-Remapped-<name>`, as on AWS. */
const FRAMED_BY_GATEWAY = new Set([...HOP_BY_HOP, 'content-length', 'date', 'server'])

/** respond: the integration's buffered answer (a streamed one went through `streamResponder`). */
export function respondStage(ctx: RequestContext): undefined {
  const result = ctx.result
  if (result?.kind === 'buffered')
    respond(
      ctx.res,
      withHeaders(result.response, ctx.outcome?.responseHeaders),
      ctx.requestId,
      ctx.table.dialect.invalidHeader,
      false,
    )
  return undefined
}

/**
 * respond, for a failure of any stage: one renderer, keyed by the gateway response type of the
 * code as the API's dialect answers it.
 */
export function respondWithError(ctx: RequestContext, err: unknown): GatewayError {
  const failure =
    err instanceof GatewayError
      ? err
      : new GatewayError('GW_INTERNAL', { reason: 'internal', detail: String(err), cause: err })
  ctx.failure = failure
  const { table } = ctx
  const spec = table.dialect.errorSpec(failure.code)
  const scope = templateScopeOf(ctx.view ?? fallbackView(ctx))
  const rendered = renderError(failure, table.gatewayResponses, scope, spec)
  respond(
    ctx.res,
    withHeaders(rendered, ctx.responseHeaders),
    ctx.requestId,
    table.dialect.invalidHeader,
    spec.closesConnection === true || bodyLeftUnread(ctx),
  )
  return failure
}

/**
 * A refusal or failure that leaves the request body part-read (an upstream that broke off
 * while the client was still sending) leaves the connection mid-message: the rest of the body
 * would be read as the next request, and the socket may already be torn down with the body
 * stream. Saying `Connection: close` lets the client take its next request elsewhere instead
 * of meeting a reset.
 */
function bodyLeftUnread(ctx: RequestContext): boolean {
  const { incoming } = ctx
  if (incoming.complete) return false
  const length = incoming.headers['content-length']
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** Writes a buffered response with the request id AWS adds. */
export function respond(
  res: ResponseSink,
  response: BufferedResponse,
  requestId: string,
  invalidHeader: InvalidHeaderAnswer,
  close: boolean,
): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase()
    const key = FRAMED_BY_GATEWAY.has(lower) ? `x-amzn-remapped-${lower}` : lower
    const existing = headers[key]
    if (existing === undefined) headers[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else headers[key] = [existing, value]
  }
  headers['x-amzn-requestid'] = requestId
  const body = response.body
  const noBody = response.status === 204 || response.status === 304
  if (!noBody)
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length)
  // After a framing problem or a refused body the rest of the connection cannot be trusted.
  if (close) headers.connection = 'close'
  try {
    res.writeHead(response.status, headers)
  } catch {
    // A header HTTP cannot carry (CR, LF, NUL): the dialect's answer instead.
    res.writeHead(invalidHeader.status, {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      ...(close ? { connection: 'close' } : {}),
    })
    res.end(invalidHeader.body)
    return
  }
  res.end(noBody ? undefined : body)
}

const RESPONDERS = new Map<InvalidHeaderAnswer, StreamResponder>()

/**
 * respond, for a streamed answer: the integration hands over status and headers, respond
 * writes the head as it writes every answer, and the body is piped into the response as it
 * arrives (no copy). One responder per dialect, made once.
 */
export function streamResponder(invalidHeader: InvalidHeaderAnswer): StreamResponder {
  let responder = RESPONDERS.get(invalidHeader)
  if (responder === undefined) {
    responder = { head: (call, status, headers) => writeStreamHead(call, status, headers, invalidHeader) }
    RESPONDERS.set(invalidHeader, responder)
  }
  return responder
}

/** Thrown to stop a stream whose head HTTP cannot carry; the dialect's answer was sent instead. */
class StreamHeadRefused extends Error {}

function writeStreamHead(
  call: IntegrationCall,
  status: number,
  headers: Readonly<Record<string, string | string[]>>,
  invalidHeader: InvalidHeaderAnswer,
): Writable {
  const res = call.outgoing
  const requestId = call.view.request.requestId
  try {
    res.writeHead(status, { ...headers, ...call.responseHeaders, 'x-amzn-requestid': requestId })
  } catch {
    // A header HTTP cannot carry (CR, LF, NUL): the dialect's answer, as for a buffered one.
    res.writeHead(invalidHeader.status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId })
    res.end(invalidHeader.body)
    throw new StreamHeadRefused('the upstream answered with a header HTTP cannot carry')
  }
  return res
}

function withHeaders(
  response: BufferedResponse,
  extra: Readonly<Record<string, string>> | undefined,
): BufferedResponse {
  if (extra === undefined) return response
  return { ...response, headers: [...response.headers, ...Object.entries(extra)] }
}

/** The view of a request that failed before routing (or before it was even parsed). */
function fallbackView(ctx: RequestContext): RequestView {
  const { table } = ctx
  return {
    request: ctx.req ?? {
      requestId: ctx.requestId,
      method: '',
      path: '',
      rawQuery: '',
      rawHeaders: [],
      headers: new Map(),
      sourceIp: '',
      protocol: '',
      receivedAt: 0,
      body: undefined,
    },
    stage: table.stage,
    resourcePath: '',
    routeKey: '',
    pathParameters: null,
    stageVariables: table.stageVariables,
    deployment: table.deployment,
  }
}
