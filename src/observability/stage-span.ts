import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api'

/**
 * The tracer travels in the request's OpenTelemetry context, set by the request span: a stage
 * deep in the pipeline (an integration, an authorizer's invocation, a call to the org) finds it
 * where it runs, and with tracing off finds nothing and runs as it would untraced.
 */
const TRACER = createContextKey('forcegate stage tracer')

export function withStageTracer(parent: Context, tracer: Tracer): Context {
  return parent.setValue(TRACER, tracer)
}

/** The request's tracer when it is traced; undefined costs the caller nothing more. */
export function stageTracer(): Tracer | undefined {
  return context.active().getValue(TRACER) as Tracer | undefined
}

/**
 * Runs `run` inside a child span of the active one, active itself (so what `run` calls or
 * propagates, a `traceparent` included, is its child). A throw marks it failed.
 */
export function inStageSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  run: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await run()
    } catch (err) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message : String(err),
      })
      throw err
    } finally {
      span.end()
    }
  })
}

/** `run` in a stage span when the request is traced, else `run` itself. */
export function stageSpan<T>(name: string, attributes: Attributes, run: () => Promise<T>): Promise<T> {
  const tracer = stageTracer()
  return tracer === undefined ? run() : inStageSpan(tracer, name, attributes, run)
}
