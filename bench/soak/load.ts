/**
 * The load: first a short closed loop of the mix to find saturation (without the kinds that only
 * wait: slow clients, Lambda timeouts), then an
 * open loop at a fixed fraction of it, each request's kind drawn from the mix. Both are bounded
 * by their deadline; the open loop caps its requests in flight and counts what it had to skip.
 */
import type { RequestKind } from './expectations.ts'
import { pickKind, type Traffic } from './traffic.ts'

export async function measureSaturation(
  traffic: Traffic,
  seconds: number,
  concurrency: number,
): Promise<number> {
  const until = Date.now() + seconds * 1000
  let done = 0
  const worker = async (): Promise<void> => {
    while (Date.now() < until) {
      const kind = pickKind(Math.random())
      if (kind === 'slow-client' || kind === 'lambda-timeout') continue
      await traffic.send(kind)
      done++
    }
  }
  const started = Date.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return done / ((Date.now() - started) / 1000)
}

export interface Outcome {
  readonly kind: RequestKind
  /** Milliseconds since the open loop started. */
  readonly sentMs: number
  readonly doneMs: number
  readonly status: number
}

export interface OpenLoopResult {
  readonly sent: number
  /** Sends skipped because `maxInFlight` requests were still waiting. */
  readonly skipped: number
}

const TICK_MS = 10

export async function openLoop(
  traffic: Traffic,
  ratePerSecond: number,
  durationMs: number,
  maxInFlight: number,
  onOutcome: (o: Outcome) => void,
  onTick: (elapsedMs: number) => Promise<void> | void,
): Promise<OpenLoopResult> {
  const started = performance.now()
  let sent = 0
  let skipped = 0
  let inFlight = 0
  const pending = new Set<Promise<void>>()
  for (;;) {
    const elapsed = performance.now() - started
    if (elapsed >= durationMs) break
    await onTick(elapsed)
    const due = Math.floor((ratePerSecond * elapsed) / 1000) - sent - skipped
    for (let i = 0; i < due; i++) {
      if (inFlight >= maxInFlight) {
        skipped++
        continue
      }
      const kind = pickKind(Math.random())
      const sentMs = performance.now() - started
      inFlight++
      sent++
      const p = traffic.send(kind).then((status) => {
        inFlight--
        onOutcome({ kind, sentMs, doneMs: performance.now() - started, status })
      })
      pending.add(p)
      void p.then(() => pending.delete(p))
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS))
  }
  // Every request has its own timeout, so this wait is bounded.
  await Promise.all(pending)
  return { sent, skipped }
}
