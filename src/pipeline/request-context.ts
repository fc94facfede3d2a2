import type { IncomingMessage, ServerResponse } from 'node:http'
import type { GatewayError } from '../errors/gateway-error.ts'
import type { RequestView } from '../events/request-view.ts'
import type { GatewayRequest } from '../http/gateway-request.ts'
import type { IntegrationResult } from '../integrations/types.ts'
import type { AuthOutcome, CompiledRoute, ExplainSink, Grants, Principal, RouteTable } from './types.ts'

/**
 * One request on its way through the stages: each stage reads what the earlier ones set and
 * adds its own result. Created once per request; every field a stage may set exists from the
 * start, so the object keeps one shape.
 */
export interface RequestContext {
  readonly table: RouteTable
  readonly incoming: IncomingMessage
  readonly res: ServerResponse
  readonly requestId: string
  readonly started: number
  readonly clock: () => number
  /** Present when the request is explained: each stage records its decision here. */
  readonly explain: ExplainSink | undefined
  /** Explain: decide as for real, but count nothing and call no integration with effects. */
  readonly dryRun: boolean
  /** receive */
  req: GatewayRequest | undefined
  /** route */
  route: CompiledRoute | undefined
  view: RequestView | undefined
  /** authenticate */
  principal: Principal | undefined
  /** authorize: what earlier checks established for later ones, and the client's extra headers. */
  grants: Grants | undefined
  responseHeaders: Readonly<Record<string, string>> | undefined
  /** enrich */
  outcome: AuthOutcome | undefined
  /** integrate */
  result: IntegrationResult | undefined
  integrationLatency: number | undefined
  /** Whatever stage failed. */
  failure: GatewayError | undefined
}

export function createRequestContext(
  table: RouteTable,
  incoming: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  clock: () => number,
  explain: ExplainSink | undefined,
  dryRun: boolean,
): RequestContext {
  return {
    table,
    incoming,
    res,
    requestId,
    started: clock(),
    clock,
    explain,
    dryRun,
    req: undefined,
    route: undefined,
    view: undefined,
    principal: undefined,
    grants: undefined,
    responseHeaders: undefined,
    outcome: undefined,
    result: undefined,
    integrationLatency: undefined,
    failure: undefined,
  }
}
