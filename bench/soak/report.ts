/**
 * The results file of a soak run: what ran, every kind of request with the statuses it got and
 * how they were judged, the faults and when, memory and descriptors over the run with their
 * slopes after warm-up, and the verdict with its reasons.
 */
import type { RequestKind, Verdict } from './expectations.ts'
import type { FaultWindow } from './schedule.ts'

export interface KindTally {
  readonly statuses: Map<number, number>
  readonly verdicts: Map<Verdict, number>
}

export interface SoakSummary {
  readonly date: string
  readonly machine: string
  readonly minutes: number
  readonly saturation: number
  readonly fraction: number
  readonly rate: number
  readonly sent: number
  readonly skipped: number
  readonly tallies: ReadonlyMap<RequestKind, KindTally>
  readonly windows: readonly FaultWindow[]
  readonly examples: readonly string[]
  readonly warmupS: number
  readonly memory: readonly (readonly [string, string])[]
  readonly failures: readonly string[]
  readonly plotFile: string
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

export function soakReport(s: SoakSummary): string {
  const lines = [
    `# Soak run ${s.date}`,
    '',
    `${s.machine}. ${s.minutes} min: saturation ${fmt(s.saturation)} req/s (the mix without its waits, closed loop), mixed traffic at ${s.fraction}× = ${fmt(s.rate)} req/s; ${fmt(s.sent)} requests sent, ${fmt(s.skipped)} skipped because too many were in flight.`,
    '',
    `**${s.failures.length === 0 ? 'passed' : 'FAILED'}**${s.failures.length === 0 ? '' : `: ${s.failures.join('; ')}`}`,
    '',
    '![memory and latency over the run](' + s.plotFile + ')',
    '',
    '## Requests',
    '',
    '| kind | sent | statuses | expected | explained by a fault | unexplained | allowed without a credential |',
    '|---|---:|---|---:|---:|---:|---:|',
  ]
  for (const [kind, t] of s.tallies) {
    const total = [...t.statuses.values()].reduce((a, b) => a + b, 0)
    const statuses = [...t.statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([st, n]) => `${st === 0 ? 'no answer' : st}: ${fmt(n)}`)
      .join(', ')
    const v = (k: Verdict): string => fmt(t.verdicts.get(k) ?? 0)
    lines.push(
      `| ${kind} | ${fmt(total)} | ${statuses} | ${v('expected')} | ${v('explained')} | ${v('unexplained')} | ${v('allowed-without-credential')} |`,
    )
  }
  lines.push('', '## Faults', '', '| fault | from s | to s |', '|---|---:|---:|')
  for (const w of s.windows)
    lines.push(`| ${w.fault} | ${(w.fromMs / 1000).toFixed(0)} | ${(w.toMs / 1000).toFixed(0)} |`)
  lines.push(
    '',
    `## Memory, descriptors, event loop (after a ${s.warmupS} s warm-up)`,
    '',
    '| measure | value |',
    '|---|---|',
  )
  for (const [k, v] of s.memory) lines.push(`| ${k} | ${v} |`)
  if (s.examples.length > 0) {
    lines.push('', '## First unexplained answers', '', ...s.examples.map((e) => `- ${e}`))
  }
  lines.push('')
  return lines.join('\n')
}
