import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import { withStageTracer } from './stage-span.ts'
import { parentFromTraceparent } from './traceparent.ts'

/** The pipeline's decision channel (named, not imported: observability sits below the pipeline). */
const TRAIL_CHANNEL = 'forcegate:trail'

interface TrailMessage {
  readonly step: string
  readonly detail: Readonly<Record<string, unknown>>
}

export interface RequestTracing {
  /** Runs one request inside its server span; the span ends with the response. */
  observe(req: IncomingMessage, res: ServerResponse, run: () => Promise<void>): Promise<void>
  /** Stops listening to the pipeline's decisions. */
  close(): void
}

/**
 * One server span per request, continuing the caller's `traceparent`, active while the stages
 * run, so an integration's own span (and what it propagates upstream or into a handler) is its
 * child, and stages find the tracer for their own spans (`stage-span.ts`: the integration, a
 * Lambda invocation, each call to the org). The stages' decisions on the trail channel add to
 * it: the route names the span, a Lambda authorizer's decision (from its cache or invoked) is a
 * child span.
 */
export function createRequestTracing(tracer: Tracer): RequestTracing {
  const onStep = (message: unknown): void => {
    const span = trace.getSpan(context.active())
    if (span === undefined) return
    const { step, detail } = message as TrailMessage
    switch (step) {
      case 'route':
        if (typeof detail.routeKey === 'string') {
          span.updateName(detail.routeKey)
          span.setAttribute('http.route', String(detail.resource ?? detail.routeKey))
        }
        return
      case 'authorizer':
        authorizerSpan(tracer, span, detail)
        return
      case 'cache':
        span.setAttribute('forcegate.identity_cache', String(detail.result))
        return
      case 'usage':
        if (detail.allowed === false) span.setAttribute('forcegate.usage_plan.refused', String(detail.plan))
        return
      default:
        return
    }
  }
  subscribe(TRAIL_CHANNEL, onStep)
  return {
    observe(req, res, run) {
      const method = req.method ?? 'UNKNOWN'
      const parent = parentFromTraceparent(req.headers.traceparent)
      const span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': method, 'url.path': req.url?.split('?')[0] ?? '' },
        },
        parent,
      )
      let ended = false
      const end = (): void => {
        if (ended) return
        ended = true
        const status = res.statusCode
        span.setAttribute('http.response.status_code', status)
        if (status >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR })
        span.end()
      }
      res.once('finish', end)
      res.once('close', end)
      return context.with(withStageTracer(trace.setSpan(parent, span), tracer), run)
    },
    close() {
      unsubscribe(TRAIL_CHANNEL, onStep)
    },
  }
}

/** The authorizer's trail arrives when it has decided: its span is back-dated by its latency. */
function authorizerSpan(tracer: Tracer, parent: Span, detail: Readonly<Record<string, unknown>>): void {
  const now = Date.now()
  const latency = typeof detail.latencyMs === 'number' ? detail.latencyMs : 0
  const span = tracer.startSpan(
    `authorizer ${String(detail.authorizerId ?? '')}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: now - latency,
      attributes: {
        'forcegate.authorizer.cache': String(detail.cache ?? 'none'),
        'forcegate.authorizer.invoked': detail.invoked === true,
        'forcegate.authorizer.outcome': String(detail.outcome ?? 'error'),
      },
    },
    trace.setSpan(context.active(), parent),
  )
  if (detail.outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR })
  span.end(now)
}
