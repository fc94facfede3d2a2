import {
  type Context,
  context,
  isSpanContextValid,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api'

// Formatting is domain-free (the Lambda context and HTTP upstreams both carry it): it lives in lib.
export { activeTraceparent } from '../lib/w3c-traceparent.ts'

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

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
