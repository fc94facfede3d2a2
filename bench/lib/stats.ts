/** Small statistics and number formatting for the tables. */
import { readFileSync } from 'node:fs'

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export const fmtInt = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—'

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '—'
  return r >= 10 ? r.toFixed(1) : r.toFixed(2)
}

export const fmtMb = (bytes: number | undefined): string =>
  bytes === undefined || !Number.isFinite(bytes) ? '—' : (bytes / 1024 / 1024).toFixed(0)

/** Busy time of each CPU from /proc/stat: [busy, total] jiffies. */
export function cpuTimes(): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>()
  try {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const m = /^cpu(\d+)\s+(.*)$/.exec(line)
      if (m === null) continue
      const v = m[2]!.split(/\s+/).map(Number)
      const idle = (v[3] ?? 0) + (v[4] ?? 0)
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0)
      out.set(m[1]!, [total - idle, total])
    }
  } catch {
    // not Linux
  }
  return out
}

/** Busy % of a CPU list (taskset syntax, first CPU only) between two samples. */
export function busyPercent(
  before: Map<string, [number, number]>,
  after: Map<string, [number, number]>,
  cpus: string | undefined,
): number {
  if (cpus === undefined) return Number.NaN
  const cpu = cpus.split(/[,-]/)[0]!
  const a = before.get(cpu)
  const b = after.get(cpu)
  if (a === undefined || b === undefined || b[1] === a[1]) return Number.NaN
  return (100 * (b[0] - a[0])) / (b[1] - a[1])
}
