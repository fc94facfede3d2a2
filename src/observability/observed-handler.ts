import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Tracer } from '@opentelemetry/api'
import { createRequestTracing } from './request-tracing.ts'

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/**
 * The request handler inside a span per request; without a tracer, the handler itself, so a
 * gateway without traces pays nothing per request. Metrics are not a wrapper: the pipeline
 * hands them each request's context (`RunOptions.observe`).
 */
export function observedHandler(
  tracer: Tracer | undefined,
  serve: RequestHandler,
): { readonly handler: RequestHandler; close(): void } {
  const tracing = tracer === undefined ? undefined : createRequestTracing(tracer)
  if (tracing === undefined) return { handler: serve, close: () => {} }
  return {
    handler: (req, res) => tracing.observe(req, res, () => serve(req, res)),
    close: () => tracing.close(),
  }
}
