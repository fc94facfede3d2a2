import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Tracer } from '@opentelemetry/api'
import type { GatewayMetrics } from './gateway-metrics.ts'
import { createRequestTracing } from './request-tracing.ts'

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/**
 * The request handler with metrics and spans around it; with neither configured, the handler
 * itself, so a gateway without them pays nothing per request.
 */
export function observedHandler(
  metrics: GatewayMetrics | undefined,
  tracer: Tracer | undefined,
  serve: RequestHandler,
): { readonly handler: RequestHandler; close(): void } {
  let handler = serve
  const tracing = tracer === undefined ? undefined : createRequestTracing(tracer)
  if (tracing !== undefined) {
    const inner = handler
    handler = (req, res) => tracing.observe(req, res, () => inner(req, res))
  }
  if (metrics !== undefined) {
    const inner = handler
    handler = (req, res) => metrics.observe(req, res, () => inner(req, res))
  }
  return { handler, close: () => tracing?.close() }
}
