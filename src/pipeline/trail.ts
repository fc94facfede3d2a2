import { channel } from 'node:diagnostics_channel'
import type { ExplainSink } from './types.ts'

/** One decision of one request: the stage (or an authorizer's sub-step) and what it saw. */
export interface TrailStep {
  readonly requestId: string
  readonly step: string
  readonly detail: Readonly<Record<string, unknown>>
}

/**
 * Every stage's decisions for a request, published while someone listens: `forcegate explain`
 * and the portal's "try it" subscribe for one request; tracing subscribes while on. Metrics do
 * not: a subscriber makes every request build its trail (and a cached Lambda authorizer decision
 * await), so they count from facts of their own. Nothing is built or published while the
 * channel has no subscribers.
 */
export const TRAIL_CHANNEL = 'forcegate:trail'

const trail = channel(TRAIL_CHANNEL)

export function trailActive(): boolean {
  return trail.hasSubscribers
}

/** The sink the stages record into for one request. */
export function trailSink(requestId: string): ExplainSink {
  return (entry) => {
    const { step, ...detail } = entry
    trail.publish({ requestId, step: typeof step === 'string' ? step : 'step', detail } satisfies TrailStep)
  }
}

/** Collects the trail of one request while `run` runs it. */
export async function recordTrail<T>(
  requestId: string,
  run: () => Promise<T>,
): Promise<{ readonly value: T; readonly steps: TrailStep[] }> {
  const steps: TrailStep[] = []
  const onStep = (message: unknown): void => {
    const step = message as TrailStep
    if (step.requestId === requestId) steps.push(step)
  }
  trail.subscribe(onStep)
  try {
    return { value: await run(), steps }
  } finally {
    trail.unsubscribe(onStep)
  }
}
