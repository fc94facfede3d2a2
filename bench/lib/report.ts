/**
 * Turns measured runs into Markdown tables: per-variant medians with min–max, latency, peak
 * RSS and ratios against the baselines of the same run, the cost-growth tables, and the
 * targets with their measured ratios.
 */
import type { CacheMemoryResult } from '../scenarios/cache-memory.ts'
import type { RunResult } from './loadgen.ts'
import type { Scenario } from './scenario.ts'
import { fmtInt, fmtMb, fmtMs, fmtRatio, median } from './stats.ts'

export interface Measured extends RunResult {
  readonly peakRss: number | undefined
  readonly serverBusy: number
  readonly loadgenBusy: number
}

export interface VariantResult {
  readonly scenario: Scenario
  readonly connections: number
  readonly runs: Measured[]
  unavailable?: string
  /** The server's start-up time (spawn to listening), where known. */
  startupMs?: number
}

export interface Summary {
  readonly rps: number
  readonly min: number
  readonly max: number
  readonly p50: number
  readonly p99: number
  readonly rss: number | undefined
  readonly errors: number
  readonly non2xx: number
  readonly serverBusy: number
  readonly loadgenBusy: number
}

export function summarize(v: VariantResult): Summary | undefined {
  if (v.unavailable !== undefined || v.runs.length === 0) return undefined
  const rps = v.runs.map((r) => r.rps)
  const rss = v.runs.map((r) => r.peakRss).filter((x): x is number => x !== undefined)
  return {
    rps: median(rps),
    min: Math.min(...rps),
    max: Math.max(...rps),
    p50: median(v.runs.map((r) => r.p50Ms)),
    p99: median(v.runs.map((r) => r.p99Ms)),
    rss: rss.length === 0 ? undefined : Math.max(...rss),
    errors: v.runs.reduce((a, r) => a + r.errors, 0),
    non2xx: v.runs.reduce((a, r) => a + r.non2xx, 0),
    serverBusy: median(v.runs.map((r) => r.serverBusy)),
    loadgenBusy: median(v.runs.map((r) => r.loadgenBusy)),
  }
}

export const find = (results: readonly VariantResult[], id: string, connections: number) =>
  results.find((r) => r.scenario.id === id && r.connections === connections)

const rpsOf = (results: readonly VariantResult[], id: string, connections: number): number => {
  const v = find(results, id, connections)
  return v === undefined ? Number.NaN : (summarize(v)?.rps ?? Number.NaN)
}

function rpsCell(s: Summary): string {
  const flags = [s.errors > 0 ? `${s.errors} socket errors` : '', s.non2xx > 0 ? `${s.non2xx} non-2xx` : '']
    .filter(Boolean)
    .join(', ')
  return `${fmtInt(s.rps)} (${fmtInt(s.min)}–${fmtInt(s.max)})${flags === '' ? '' : ` ⚠ ${flags}`}`
}

/** The main table: every variant at every connection count, ratios against that count's baselines. */
export function mainTable(results: readonly VariantResult[], withCpu: boolean): string {
  const head = [
    'variant',
    'conns',
    'req/s median (min–max)',
    'p50 ms',
    'p99 ms',
    'peak RSS MB',
    '× direct',
    '× undici proxy',
    '× nginx proxy',
    ...(withCpu ? ['CPU server/loadgen %'] : []),
  ]
  const rows = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`]
  for (const v of results) {
    const s = summarize(v)
    const name = `${v.scenario.label}`
    if (s === undefined) {
      const why = v.unavailable ?? 'no runs'
      const text = why.startsWith('not yet available') ? why : `unavailable: ${why}`
      rows.push(`| ${name} | ${v.connections} | ${text} | — | — | — | — | — | —${withCpu ? ' | —' : ''} |`)
      continue
    }
    const ratio = (id: string) => fmtRatio(s.rps / rpsOf(results, id, v.connections))
    rows.push(
      `| ${name} | ${v.connections} | ${rpsCell(s)} | ${fmtMs(s.p50)} | ${fmtMs(s.p99)} | ${fmtMb(s.rss)} | ${ratio('direct')} | ${ratio('undici')} | ${ratio('nginx')}${withCpu ? ` | ${Number.isFinite(s.serverBusy) ? `${s.serverBusy.toFixed(0)}/${s.loadgenBusy.toFixed(0)}` : '—'}` : ''} |`,
    )
  }
  return rows.join('\n')
}

/** A growth table: each row against a reference row of the same table. */
export function growthTable(
  results: readonly VariantResult[],
  referenceOf: (v: VariantResult) => VariantResult | undefined,
  ratioTitle: string,
  extra?: { title: string; cell: (v: VariantResult, s: Summary) => string },
): string {
  const head = [
    'variant',
    'conns',
    'req/s median (min–max)',
    'p50 ms',
    'p99 ms',
    'peak RSS MB',
    ratioTitle,
    ...(extra === undefined ? [] : [extra.title]),
  ]
  const rows = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`]
  for (const v of results) {
    const s = summarize(v)
    if (s === undefined) {
      rows.push(
        `| ${v.scenario.label} | ${v.connections} | unavailable: ${v.unavailable ?? 'no runs'} | — | — | — | —${extra === undefined ? '' : ' | —'} |`,
      )
      continue
    }
    const ref = referenceOf(v)
    const refS = ref === undefined ? undefined : summarize(ref)
    rows.push(
      `| ${v.scenario.label} | ${v.connections} | ${rpsCell(s)} | ${fmtMs(s.p50)} | ${fmtMs(s.p99)} | ${fmtMb(s.rss)} | ${refS === undefined ? '—' : fmtRatio(s.rps / refS.rps)}${extra === undefined ? '' : ` | ${extra.cell(v, s)}`} |`,
    )
  }
  return rows.join('\n')
}

export function memoryTable(
  rows: readonly (CacheMemoryResult | { cache: string; entries: number; error: string })[],
  labels: Record<string, string>,
): string {
  const out = [
    '| cache | entries | heap bytes / entry | RSS bytes / entry | fill time s | hit lookups / s |',
    '|---|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    if ('error' in r) {
      out.push(`| ${labels[r.cache] ?? r.cache} | ${fmtInt(r.entries)} | failed: ${r.error} | — | — | — |`)
      continue
    }
    // One entry is below what heap accounting can resolve: only the lookup rate means something.
    const small = r.entries < 1000
    out.push(
      `| ${labels[r.cache] ?? r.cache} | ${fmtInt(r.entries)} | ${small ? '(too few to measure)' : fmtInt(r.heapBytesPerEntry)} | ${small ? '—' : fmtInt(r.rssBytesPerEntry)} | ${r.fillSeconds.toFixed(2)} | ${fmtInt(r.hitsPerSecond)} |`,
    )
  }
  return out.join('\n')
}

export interface Target {
  readonly name: string
  /** Measured value as text, with the ratio. */
  readonly measured: string
  /** true met, false missed, undefined not measurable in this run. */
  readonly met: boolean | undefined
}

export function targetsTable(targets: readonly Target[]): string {
  const out = ['| target | measured | result |', '|---|---|---|']
  for (const t of targets) {
    out.push(
      `| ${t.name} | ${t.measured} | ${t.met === undefined ? 'not measured' : t.met ? 'met' : '**missed**'} |`,
    )
  }
  return out.join('\n')
}

/** Evaluates the issue's targets against this run's numbers (100 connections unless said). */
export function evaluateTargets(
  main: readonly VariantResult[],
  routes: readonly VariantResult[],
  memory: readonly (CacheMemoryResult | { cache: string; entries: number; error: string })[],
  allForcegate: readonly VariantResult[],
  bodies: readonly VariantResult[] = [],
  others: readonly VariantResult[] = [],
): Target[] {
  const c = 100
  const s = (list: readonly VariantResult[], id: string, conns = c) => {
    const v = find(list, id, conns)
    return v === undefined ? undefined : summarize(v)
  }
  // Scenarios of other sections (usage plans, workers) are looked up after the main table.
  const anywhere = [...main, ...others]
  const ratioTarget = (name: string, num: string, den: string, min: number, note = ''): Target => {
    const a = s(anywhere, num)
    const b = s(anywhere, den)
    if (a === undefined || b === undefined) {
      const missing = a === undefined ? num : den
      const why = find(anywhere, missing, c)?.unavailable ?? 'not run'
      return { name, measured: `${missing}: ${why}`, met: undefined }
    }
    const r = a.rps / b.rps
    const one = s(anywhere, num, 1)
    const oneB = s(anywhere, den, 1)
    const at1 = one !== undefined && oneB !== undefined ? `; at 1 conn ${fmtRatio(one.rps / oneB.rps)}×` : ''
    return {
      name,
      measured: `${fmtRatio(r)}× (${fmtInt(a.rps)} / ${fmtInt(b.rps)} req/s${at1})${note}`,
      met: r >= min,
    }
  }
  const targets: Target[] = []
  targets.push(ratioTarget('passthrough ≥ 0.9× minimal undici proxy', 'fg-passthrough', 'undici', 0.9))
  {
    const a = s(main, 'fg-passthrough')
    const b = s(main, 'undici')
    targets.push(
      a === undefined || b === undefined
        ? { name: 'passthrough p99 ≤ 1.2× undici proxy p99', measured: 'not run', met: undefined }
        : {
            name: 'passthrough p99 ≤ 1.2× undici proxy p99',
            measured: `${fmtRatio(a.p99 / b.p99)}× (${fmtMs(a.p99)} / ${fmtMs(b.p99)} ms)`,
            met: a.p99 / b.p99 <= 1.2,
          },
    )
  }
  targets.push(
    ratioTarget('cached Lambda authorizer + Lambda handler ≥ 10× serverless-offline', 'fg-token', 'sls', 10),
  )
  targets.push(
    ratioTarget(
      'metrics on ≥ 0.95× metrics off (cached TOKEN authorizer)',
      'fg-token-metrics',
      'fg-token',
      0.95,
    ),
  )
  targets.push(
    ratioTarget('cached JWT decisions ≥ 0.8× forcegate passthrough', 'fg-jwt-cached', 'fg-passthrough', 0.8),
  )
  targets.push(
    ratioTarget(
      'cached Salesforce decisions ≥ 0.8× forcegate passthrough',
      'fg-salesforce',
      'fg-passthrough',
      0.8,
    ),
  )
  targets.push(
    ratioTarget('JWT verified on every request ≥ 1.0× fastify + jose', 'fg-jwt-verify', 'fastify-jose', 1.0),
  )
  targets.push(
    ratioTarget(
      'mapping templates (request + response) ≥ 0.8× the aws_proxy route',
      'fg-lambda-mapped',
      'fg-lambda',
      0.8,
    ),
  )
  targets.push(
    ratioTarget(
      'usage plan in Redis ≥ 0.8× the in-process usage plan',
      'fg-plan-redis',
      'fg-plan-local',
      0.8,
    ),
  )
  {
    // 1 MB bodies: the worst of the streamed request and response rows against the undici proxy.
    const pairs = bodies
      .filter((v) => v.scenario.id.startsWith('fg-passthrough') && v.scenario.id.endsWith('-1048576'))
      .map((v) => {
        const base = find(bodies, v.scenario.id.replace('fg-passthrough', 'undici'), v.connections)
        const a = summarize(v)
        const b = base === undefined ? undefined : summarize(base)
        return a === undefined || b === undefined ? undefined : { id: v.scenario.id, r: a.rps / b.rps }
      })
      .filter((p) => p !== undefined)
    targets.push(
      pairs.length === 0
        ? { name: '1 MB bodies ≥ 0.9× the undici proxy', measured: 'not run', met: undefined }
        : {
            name: '1 MB bodies ≥ 0.9× the undici proxy',
            measured: pairs.map((p) => `${p.id.replace('fg-passthrough-', '')} ${fmtRatio(p.r)}×`).join('; '),
            met: pairs.every((p) => p.r >= 0.9),
          },
    )
  }
  {
    // Peak RSS of the passthrough against the minimal proxy doing the same work in the same run.
    const a = s(main, 'fg-passthrough')
    const b = s(main, 'undici')
    targets.push(
      a?.rss === undefined || b?.rss === undefined
        ? { name: 'passthrough peak RSS ≤ 1.1× the undici proxy', measured: 'not run', met: undefined }
        : {
            name: 'passthrough peak RSS ≤ 1.1× the undici proxy',
            measured: `${fmtRatio(a.rss / b.rss)}× (${fmtMb(a.rss)} / ${fmtMb(b.rss)} MB)`,
            met: a.rss / b.rss <= 1.1,
          },
    )
  }
  {
    const small = routes.find((v) => v.scenario.id === 'fg-routes-10')
    const large = routes.find((v) => v.scenario.id === 'fg-routes-10000')
    const a = small === undefined ? undefined : summarize(small)
    const b = large === undefined ? undefined : summarize(large)
    targets.push(
      a === undefined || b === undefined
        ? { name: '10 → 10,000 routes costs ≤ 5% throughput', measured: 'not run', met: undefined }
        : {
            name: '10 → 10,000 routes costs ≤ 5% throughput',
            measured: `${fmtRatio(b.rps / a.rps)}× (${fmtInt(b.rps)} / ${fmtInt(a.rps)} req/s; medians, run-to-run noise is ±10%)`,
            met: b.rps / a.rps >= 0.95,
          },
    )
  }
  {
    const ok = memory.filter((m): m is CacheMemoryResult => !('error' in m) && m.entries >= 10_000)
    const largest = Math.max(...ok.map((m) => m.entries))
    const at = ok.filter((m) => m.entries === largest)
    const worst = at.reduce<CacheMemoryResult | undefined>(
      (w, m) => (w === undefined || m.heapBytesPerEntry > w.heapBytesPerEntry ? m : w),
      undefined,
    )
    targets.push(
      worst === undefined
        ? { name: 'a cached decision costs ≤ 1 KB', measured: 'not run', met: undefined }
        : {
            name: 'a cached decision costs ≤ 1 KB',
            measured:
              at
                .map(
                  (m) =>
                    `${m.cache}: ${fmtInt(m.heapBytesPerEntry)} B heap (${fmtInt(m.rssBytesPerEntry)} B RSS)`,
                )
                .join('; ') + ` per entry at ${fmtInt(largest)} entries`,
            met: worst.heapBytesPerEntry <= 1024,
          },
    )
  }
  {
    let worst: { v: VariantResult; rss: number } | undefined
    for (const v of allForcegate) {
      const rss = summarize(v)?.rss
      if (rss !== undefined && (worst === undefined || rss > worst.rss)) worst = { v, rss }
    }
    targets.push(
      worst === undefined
        ? { name: 'RSS under load ≤ 150 MB', measured: 'not run', met: undefined }
        : {
            name: 'RSS under load ≤ 150 MB',
            measured: `${fmtMb(worst.rss)} MB peak, worst forcegate row: ${worst.v.scenario.label}, ${worst.v.connections} conns`,
            met: worst.rss <= 150 * 1024 * 1024,
          },
    )
  }
  return targets
}
