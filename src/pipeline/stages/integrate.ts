import type { GatewayRequest } from '../../http/gateway-request.ts'
import { readBody } from '../../http/read-body.ts'
import type { IntegrationCall } from '../../integrations/types.ts'
import { inStageSpan, stageTracer } from '../../observability/stage-span.ts'
import type { RequestContext } from '../request-context.ts'
import { streamResponder } from './respond.ts'

/** A request framed without a body (no Content-Length, no Transfer-Encoding) has none to wait for. */
const NO_BODY = Buffer.alloc(0)
const NO_HEADERS: readonly (readonly [string, string])[] = Object.freeze([])

/** integrate: the route's integration (aws_proxy, http_proxy, mock, or a handler the gateway owns). */
export function integrateStage(ctx: RequestContext): Promise<void> {
  const { integration } = ctx.route!
  const req = ctx.req!
  if (integration.needsBody && req.body === undefined) {
    if (!framesBody(req)) req.body = NO_BODY
    else return readThenInvoke(ctx)
  }
  return invoke(ctx)
}

function framesBody(req: GatewayRequest): boolean {
  return req.headers.has('content-length') || req.headers.has('transfer-encoding')
}

async function readThenInvoke(ctx: RequestContext): Promise<void> {
  const own = ctx.route!.integration.maxBodyBytes
  const limit = ctx.table.limits.maxBodyBytes
  ctx.req!.body = await readBody(ctx.incoming, own === undefined ? limit : Math.min(own, limit))
  return invoke(ctx)
}

async function invoke(ctx: RequestContext): Promise<void> {
  const { integration } = ctx.route!
  const outcome = ctx.outcome
  const call: IntegrationCall = {
    view: ctx.view!,
    authorizer: outcome?.authorizerContext,
    identityHeaders: outcome?.identityHeaders ?? NO_HEADERS,
    responseHeaders: outcome?.responseHeaders,
    callerToken: outcome?.callerToken,
    incoming: ctx.incoming,
    outgoing: ctx.res,
    respond: streamResponder(ctx.table.dialect.invalidHeader),
  }
  // Measured here, around the call, and nowhere else: the access log and metrics read it.
  const tracer = stageTracer()
  const started = ctx.clock()
  ctx.result = await (tracer === undefined
    ? integration.invoke(call)
    : inStageSpan(
        tracer,
        `integration ${integration.type}`,
        { 'forcegate.integration.type': integration.type, 'forcegate.integration': integration.description },
        () => integration.invoke(call),
      ))
  ctx.integrationLatency = ctx.clock() - started
}

/**
 * integrate for `explain`: an integration whose call leaves the gateway is not called; a pure
 * one (mock) runs, so the answer explained is the answer served.
 */
export async function dryRunIntegrateStage(ctx: RequestContext): Promise<void> {
  const { integration } = ctx.route!
  const called = integration.sideEffectFree === true
  ctx.explain?.({ step: 'integrate', integration: integration.description, called })
  // Non-proxy integrations show their mapping: the chosen template, the rendered integration
  // request and which integration response applies, computed without calling the backend.
  if (integration.explain !== undefined) {
    const req = ctx.req!
    if (integration.needsBody && req.body === undefined)
      req.body = await readBody(ctx.incoming, ctx.table.limits.maxBodyBytes)
    ctx.explain?.({
      step: 'mapping',
      ...(await integration.explain({ view: ctx.view!, authorizer: ctx.outcome?.authorizerContext })),
    })
  }
  if (called) await integrateStage(ctx)
}
