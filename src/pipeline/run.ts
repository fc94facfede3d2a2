import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { clientIdOf } from '../observability/access-log-fields.ts'
import type { Logger } from '../observability/logger.ts'
import { createRequestContext, type RequestContext } from './request-context.ts'
import { authenticateStage } from './stages/authenticate.ts'
import { authorizeStage } from './stages/authorize.ts'
import { enrichStage } from './stages/enrich.ts'
import { dryRunIntegrateStage, integrateStage } from './stages/integrate.ts'
import { receiveStage } from './stages/receive.ts'
import { respondStage, respondWithError } from './stages/respond.ts'
import { routeStage } from './stages/route.ts'
import { trailActive, trailSink } from './trail.ts'
import type { RouteTable } from './types.ts'

/** A stage reads the context, adds its result, and refuses by throwing a GatewayError. */
export type Stage = (ctx: RequestContext) => Promise<void> | undefined

/** The stage order, in one place. A failure in any stage goes to respond's one renderer. */
export const STAGES: readonly Stage[] = Object.freeze([
  receiveStage,
  routeStage,
  authenticateStage,
  authorizeStage,
  enrichStage,
  integrateStage,
  respondStage,
])

/** `explain`: the same stages, with an integrate that calls nothing with effects. */
export const EXPLAIN_STAGES: readonly Stage[] = Object.freeze(
  STAGES.map((stage) => (stage === integrateStage ? dryRunIntegrateStage : stage)),
)

export interface RunOptions {
  readonly table: RouteTable
  readonly log: Logger
  readonly accessLog: boolean
  readonly clock: () => number
  /** Metrics: handed each request's context as it starts, to count it when answered. */
  readonly observe?: ((ctx: RequestContext) => void) | undefined
}

/** Serves one request: every stage in order, then the access log line. */
export function runPipeline(
  incoming: IncomingMessage,
  res: ServerResponse,
  options: RunOptions,
): Promise<void> {
  const requestId = randomUUID()
  // The trail costs nothing unless someone subscribed to it.
  const trail = trailActive() ? trailSink(requestId) : undefined
  const ctx = createRequestContext(options.table, incoming, res, requestId, options.clock, trail, false)
  options.observe?.(ctx)
  if (options.accessLog) {
    // Registered first so that responses finished synchronously are logged too.
    res.once('finish', () => logAccess(ctx, options.log))
  }
  return runStages(ctx, STAGES, options.log)
}

/** Runs `stages` over `ctx`; sync stages are not awaited, so a stage costs only what it does. */
export async function runStages(
  ctx: RequestContext,
  stages: readonly Stage[],
  log: Pick<Logger, 'error'> | undefined,
): Promise<void> {
  try {
    for (let i = 0; i < stages.length; i++) {
      const pending = stages[i]!(ctx)
      if (pending !== undefined) await pending
    }
  } catch (err) {
    const failure = respondWithError(ctx, err)
    if (failure.code === 'GW_INTERNAL') log?.error({ requestId: ctx.requestId, err }, 'unexpected failure')
  }
}

function logAccess(ctx: RequestContext, log: Logger): void {
  const { failure } = ctx
  log.info({
    requestId: ctx.requestId,
    method: ctx.incoming.method,
    path: ctx.req?.path ?? ctx.incoming.url?.split('?')[0],
    routeKey: ctx.route?.routeKey ?? null,
    status: ctx.res.statusCode,
    latencyMs: ctx.clock() - ctx.started,
    integrationLatencyMs: ctx.integrationLatency ?? null,
    principal: ctx.outcome?.principalId ?? ctx.principal?.principalId ?? failure?.principalId ?? null,
    clientId: clientIdOf(ctx.principal?.identity),
    error: failure?.code ?? null,
    reason: failure?.reason ?? null,
    // A gateway 5xx is about the integration: name it and what went wrong (a handler's own
    // error, with its stack, is the function's "Invoke Error" line with the same requestId).
    ...(ctx.res.statusCode >= 500 && failure !== undefined
      ? { upstream: ctx.route?.integration.description ?? null, detail: failure.detail ?? null }
      : {}),
  })
}
