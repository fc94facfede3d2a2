import { context, isSpanContextValid, type SpanContext, TraceFlags, trace } from '@opentelemetry/api'

/**
 * The W3C `traceparent` of the span active where it is called (the request's, or a stage's), or
 * undefined when nothing is traced: with tracing off no context manager holds a span, and no
 * header or field is added anywhere.
 */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active())
  return span === undefined ? undefined : formatTraceparent(span.spanContext())
}

function formatTraceparent(span: SpanContext): string | undefined {
  if (!isSpanContextValid(span)) return undefined
  const flags = (span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0')
  return `00-${span.traceId}-${span.spanId}-${flags}`
}
