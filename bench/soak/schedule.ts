/**
 * The fault schedule: calm windows alternating with one fault each, in a fixed order, repeated
 * until the run ends. Pure: it says which fault is on at a moment of the run; the harness
 * switches the dev org and the upstream to match.
 */
export type FaultName =
  | 'org-slow'
  | 'org-down'
  | 'org-garbage'
  | 'org-flapping'
  | 'jwks-rotated'
  | 'upstream-reset'

export const FAULT_ORDER: readonly FaultName[] = [
  'org-slow',
  'org-down',
  'org-garbage',
  'org-flapping',
  'jwks-rotated',
  'upstream-reset',
]

export interface FaultWindow {
  readonly fault: FaultName
  /** Milliseconds since the start of the mixed traffic. */
  readonly fromMs: number
  readonly toMs: number
}

/** Each fault gets one slot, with a calm slot before it; slots last 3–20 s depending on the run. */
export function slotMs(trafficMs: number): number {
  return Math.max(3000, Math.min(20_000, Math.floor(trafficMs / (2 * FAULT_ORDER.length + 1))))
}

export function faultWindows(trafficMs: number): FaultWindow[] {
  const slot = slotMs(trafficMs)
  const out: FaultWindow[] = []
  let i = 0
  for (let from = slot; from + slot <= trafficMs - slot; from += 2 * slot) {
    out.push({ fault: FAULT_ORDER[i++ % FAULT_ORDER.length]!, fromMs: from, toMs: from + slot })
  }
  return out
}

/**
 * How long after it starts a fault keeps explaining answers, beyond the grace period. A rotated
 * key is fetched on its first unknown `kid` at most once per the gateway's JWKS cooldown (30 s
 * by default), and the soak's forged tokens keep that cooldown running, so tokens signed with
 * the new key may be refused (401, never allowed) for up to that long.
 */
const AFTERMATH_MS: Partial<Record<FaultName, number>> = { 'jwks-rotated': 30_000 }

/**
 * The faults that explain an answer to a request sent at `sentMs` and answered at `doneMs`: those
 * on at any moment in between, or ended less than `graceMs` before it was sent (pools reconnect,
 * caches refill, a request queued behind a slow one finishes late).
 */
export function faultsDuring(
  windows: readonly FaultWindow[],
  sentMs: number,
  doneMs: number,
  graceMs: number,
): Set<FaultName> {
  const on = new Set<FaultName>()
  for (const w of windows) {
    const until = Math.max(w.toMs + graceMs, w.fromMs + (AFTERMATH_MS[w.fault] ?? 0))
    if (w.fromMs <= doneMs && until >= sentMs) on.add(w.fault)
  }
  return on
}
