/**
 * Memory trend after warm-up: the least-squares slope of a series, in units per minute. The heap
 * is judged on its floors (the lowest sample of each window, what survives collection), since the
 * sawtooth between collections says nothing about leaks.
 */
export interface Point {
  readonly tMs: number
  readonly v: number
}

export function slopePerMinute(points: readonly Point[]): number | undefined {
  if (points.length < 3) return undefined
  const n = points.length
  const mt = points.reduce((s, p) => s + p.tMs, 0) / n
  const mv = points.reduce((s, p) => s + p.v, 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.tMs - mt) * (p.v - mv)
    den += (p.tMs - mt) ** 2
  }
  return den === 0 ? undefined : (num / den) * 60_000
}

/** The lowest point of each `windowMs` window. */
export function floors(points: readonly Point[], windowMs: number): Point[] {
  const byWindow = new Map<number, Point>()
  for (const p of points) {
    const w = Math.floor(p.tMs / windowMs)
    const seen = byWindow.get(w)
    if (seen === undefined || p.v < seen.v) byWindow.set(w, p)
  }
  return [...byWindow.values()].sort((a, b) => a.tMs - b.tMs)
}
