import {
  type Context,
  context,
  isSpanContextValid,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api'

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

/**
 * The W3C `traceparent` of the span active where it is called (the request's, or an
 * integration's), or undefined when nothing is traced: with tracing off, no header is added.
 */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active())
  return span === undefined ? undefined : formatTraceparent(span.spanContext())
}

export function formatTraceparent(span: SpanContext): string | undefined {
  if (!isSpanContextValid(span)) return undefined
  const flags = (span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0')
  return `00-${span.traceId}-${span.spanId}-${flags}`
}

/**
 * The caller's trace as the parent context, when its `traceparent` is well formed (version 00,
 * ids not all zeros); anything else starts a new trace, as the W3C recommendation says.
 */
export function parentFromTraceparent(header: string | string[] | undefined): Context {
  const root = context.active()
  if (typeof header !== 'string') return root
  const match = TRACEPARENT.exec(header.trim())
  if (match === null) return root
  const parent: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  }
  return isSpanContextValid(parent) ? trace.setSpanContext(root, parent) : root
}
