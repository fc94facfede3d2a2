import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { GatewayError } from '../errors/gateway-error.ts'
import { renderError } from '../errors/render-error.ts'
import type { RequestView } from '../events/request-view.ts'
import type { GatewayRequest } from '../http/gateway-request.ts'
import { readBody } from '../http/read-body.ts'
import type { BufferedResponse } from '../lib/buffered-response.ts'
import type { Logger } from '../observability/logger.ts'
import { receive } from './stages/receive.ts'
import { respond } from './stages/respond.ts'
import { templateScopeOf } from './template-scope-of.ts'
import type { AuthOutcome, CompiledRoute, RouteTable } from './types.ts'

export interface RunOptions {
  readonly table: RouteTable
  readonly log: Logger
  readonly accessLog: boolean
  readonly clock: () => number
}

/**
 * The fixed stage order: receive → route → identify/authenticate/authorize → enrich →
 * integrate → respond. Every failure, whichever stage raised it, is rendered by one renderer.
 */
export async function runPipeline(
  incoming: IncomingMessage,
  res: ServerResponse,
  options: RunOptions,
): Promise<void> {
  const { table, log } = options
  const started = options.clock()
  const requestId = randomUUID()
  let req: GatewayRequest | undefined
  let route: CompiledRoute | undefined
  let view: RequestView | undefined
  let outcome: AuthOutcome | undefined
  let integrationLatency: number | undefined
  let failure: GatewayError | undefined
  if (options.accessLog) {
    // Registered first so that responses finished synchronously are logged too.
    res.once('finish', () => {
      log.info({
        requestId,
        method: incoming.method,
        path: req?.path ?? incoming.url?.split('?')[0],
        routeKey: route?.routeKey ?? null,
        status: res.statusCode,
        latencyMs: options.clock() - started,
        integrationLatencyMs: integrationLatency ?? null,
        principal: outcome?.principalId ?? failure?.principalId ?? null,
        error: failure?.code ?? null,
        reason: failure?.reason ?? null,
      })
    })
  }
  try {
    req = receive(incoming, requestId, started, table.limits)
    const match = table.router.find(req.method, req.path)
    if (match === undefined) {
      // REST APIs answer an unknown route 403 Missing Authentication Token; HTTP APIs 404.
      throw new GatewayError(table.kind === 'http' ? 'GW_ROUTE_NOT_FOUND_HTTP_API' : 'GW_ROUTE_NOT_FOUND', {
        reason: 'route.none',
      })
    }
    route = match.value
    view = {
      request: req,
      stage: table.stage,
      resourcePath: match.resourcePath,
      routeKey: route.routeKey,
      pathParameters: match.pathParameters,
      stageVariables: table.stageVariables,
      deployment: table.deployment,
    }
    if (route.auth !== undefined) outcome = await route.auth.authorize(view)
    if (route.integration.needsBody) req.body = await readBody(incoming, table.limits.maxBodyBytes)
    const integrationStart = options.clock()
    const result = await route.integration.invoke({
      view,
      authorizer: outcome?.authorizerContext,
      identityHeaders: outcome?.identityHeaders ?? [],
      responseHeaders: outcome?.responseHeaders,
      incoming,
      outgoing: res,
    })
    integrationLatency = options.clock() - integrationStart
    if (result.kind === 'buffered')
      respond(res, withHeaders(result.response, outcome?.responseHeaders), {
        requestId,
        invalidHeader: table.kind === 'http' ? INVALID_HEADER_HTTP_API : INVALID_HEADER_REST,
      })
  } catch (err) {
    failure =
      err instanceof GatewayError
        ? err
        : new GatewayError('GW_INTERNAL', { reason: 'internal', detail: String(err), cause: err })
    if (failure.code === 'GW_INTERNAL') log.error({ requestId, err }, 'unexpected failure')
    const scope = templateScopeOf(view ?? fallbackView(req, requestId, table))
    // After a framing problem or a refused body the rest of the connection cannot be trusted.
    const close = failure.reason?.startsWith('receive.') === true || failure.code === 'GW_BODY_TOO_LARGE'
    respond(res, withHeaders(renderError(failure, table.gatewayResponses, scope), outcome?.responseHeaders), {
      requestId,
      invalidHeader: INVALID_HEADER_REST,
      close,
    })
  }
}

const INVALID_HEADER_REST = { status: 502, body: '{"message":"Internal server error"}' }
const INVALID_HEADER_HTTP_API = { status: 500, body: '{"message":"Internal Server Error"}' }

function withHeaders(
  response: BufferedResponse,
  extra: Readonly<Record<string, string>> | undefined,
): BufferedResponse {
  if (extra === undefined) return response
  return { ...response, headers: [...response.headers, ...Object.entries(extra)] }
}

/** The view of a request that failed before routing (or before it was even parsed). */
function fallbackView(req: GatewayRequest | undefined, requestId: string, table: RouteTable): RequestView {
  return {
    request: req ?? {
      requestId,
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
