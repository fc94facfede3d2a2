/**
 * `npm run soak -- [--minutes N]`: the gateway, the dev org and an upstream on 127.0.0.1, mixed
 * traffic at a fraction of measured saturation with faults on a schedule, every answer judged,
 * memory, descriptors and event-loop delay sampled each second. Writes
 * bench/results/<date>-soak.md and its SVG plot; exits 1 on any unexplained answer, any allow
 * without a credential, or memory growing faster than the threshold after warm-up.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_VERIFIED_CACHE_ENTRIES } from '../../src/auth/jwt/verified-token-cache.ts'
import { killAllNow, servingPids, spawnBounded, stopAll, waitForPort } from '../lib/proc.ts'
import { freePort } from '../lib/scenario.ts'
import { BENCH_DIR, NODE, WORK_DIR } from '../lib/tools.ts'
import { judge, type RequestKind, type Verdict } from './expectations.ts'
import { FaultDriver } from './fault-driver.ts'
import { type OrgInfo, startSoakGateway } from './gateway.ts'
import { Keyring } from './keys.ts'
import { measureSaturation, type Outcome, openLoop } from './load.ts'
import { plotSvg } from './plot.ts'
import type { ProbeLine } from './probe-line.ts'
import { type KindTally, soakReport } from './report.ts'
import { ProbeTail, type ProcSample, sampleProc } from './sampler.ts'
import { faultsDuring, faultWindows } from './schedule.ts'
import { floors, type Point, slopePerMinute } from './slope.ts'
import { MIX, Traffic } from './traffic.ts'
import { startUpstream } from './upstream.ts'

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    fraction: { type: 'string', default: '0.5' },
    out: { type: 'string', default: join(BENCH_DIR, 'results') },
    'max-heap-slope': { type: 'string', default: '2' },
    'max-rss-slope': { type: 'string', default: '4' },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  process.stdout.write(
    'npm run soak -- [--minutes N (3)] [--fraction F of saturation (0.5)] [--out DIR (bench/results)]\n' +
      '                [--max-heap-slope MB/min of live heap (2)] [--max-rss-slope MB/min of memory outside the V8 heap (4)]\n',
  )
  process.exit(0)
}
const minutes = Number(args.minutes)
const fraction = Number(args.fraction)
const maxHeapSlope = Number(args['max-heap-slope'])
const maxRssSlope = Number(args['max-rss-slope'])
if (!(minutes > 0 && minutes <= 24 * 60) || !(fraction > 0 && fraction <= 1)) {
  process.stderr.write('--minutes must be above 0 (at most a day), --fraction in (0, 1]\n')
  process.exit(2)
}

const log = (line: string): void => void process.stdout.write(`[soak] ${line}\n`)
process.on('exit', killAllNow)
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAllNow()
    process.exit(130)
  })
}

const runId = new Date().toISOString().slice(0, 16).replace('T', '-').replace(':', '')
const workDir = join(WORK_DIR, `soak-${runId}`)
mkdirSync(workDir, { recursive: true })
const ctx = {
  workDir,
  logDir: workDir,
  lifetimeSeconds: minutes * 60 + 240,
  nextPort: () => freePort(18_900),
  cpus: { server: undefined, helpers: undefined, loadgen: undefined, description: 'not pinned' },
}

const SATURATION_S = 5
const started = Date.now()
let ring: Keyring | undefined
const upstream = await startUpstream(() => ring!)
ring = await Keyring.create(upstream.url, 200)

const orgPort = await ctx.nextPort()
const orgOut = join(workDir, 'devorg.json')
const org = spawnBounded(NODE, [join(BENCH_DIR, 'fixtures', 'devorg.ts')], {
  name: 'devorg',
  lifetimeSeconds: ctx.lifetimeSeconds,
  env: { PORT: String(orgPort), OUT: orgOut },
  logFile: join(workDir, 'devorg.log'),
})
await waitForPort(org, orgPort, 30_000)
for (let i = 0; i < 100 && !existsSync(orgOut); i++) await new Promise((r) => setTimeout(r, 100))
const orgInfo = JSON.parse(readFileSync(orgOut, 'utf8')) as OrgInfo
const orgUrl = `http://127.0.0.1:${orgPort}`

const gateway = await startSoakGateway(ctx, upstream.url, orgInfo)
const gatewayHandle = gateway.measured[0]!
const pids = servingPids([gatewayHandle])
log(`gateway ${gateway.url} (pid ${pids.join(', ')}), dev org ${orgUrl}, upstream ${upstream.url}`)

const traffic = new Traffic(gateway.url, { keyring: () => ring!, sfToken: orgInfo.token }, 64)
const probeTail = new ProbeTail(gatewayHandle.logFile!)
const procSamples: ProcSample[] = []
const probeLines: ProbeLine[] = []
const sampler = setInterval(() => {
  procSamples.push(sampleProc(pids))
  probeLines.push(...probeTail.read())
}, 1000)

await measureSaturation(traffic, 2, 32)
const saturation = await measureSaturation(traffic, SATURATION_S, 32)
const rate = Math.max(10, Math.floor(saturation * fraction))
const trafficStart = Date.now()
const trafficMs = Math.max(30_000, minutes * 60_000 - (trafficStart - started))
const windows = faultWindows(trafficMs)
log(
  `saturation ${Math.round(saturation)} req/s; mixed traffic at ${rate} req/s for ${Math.round(trafficMs / 1000)} s`,
)

const driver = new FaultDriver(orgUrl, ring, upstream, log)
const tallies = new Map<RequestKind, KindTally>()
const examples: string[] = []
const latencyBySecond = new Map<number, number[]>()
const FAST: ReadonlySet<RequestKind> = new Set([
  'jwt-cached',
  'jwt-new',
  'jwt-invalid',
  'sf-valid',
  'lambda-ok',
])
const GRACE_MS = 3000
let unexplained = 0
let allowedWithout = 0

const onOutcome = (o: Outcome): void => {
  const verdict: Verdict = judge(o.kind, o.status, faultsDuring(windows, o.sentMs, o.doneMs, GRACE_MS))
  const t = tallies.get(o.kind) ?? { statuses: new Map(), verdicts: new Map() }
  tallies.set(o.kind, t)
  t.statuses.set(o.status, (t.statuses.get(o.status) ?? 0) + 1)
  t.verdicts.set(verdict, (t.verdicts.get(verdict) ?? 0) + 1)
  if (verdict === 'unexplained') unexplained++
  if (verdict === 'allowed-without-credential') allowedWithout++
  if ((verdict === 'unexplained' || verdict === 'allowed-without-credential') && examples.length < 20) {
    examples.push(`${o.kind} → ${o.status || 'no answer'} at ${(o.sentMs / 1000).toFixed(1)} s (${verdict})`)
  }
  if (FAST.has(o.kind)) {
    const s = Math.floor(o.sentMs / 1000)
    const bucket = latencyBySecond.get(s) ?? []
    latencyBySecond.set(s, bucket)
    bucket.push(o.doneMs - o.sentMs)
  }
}

const loop = await openLoop(traffic, rate, trafficMs, 2000, onOutcome, (elapsed) =>
  driver.apply(windows.find((w) => w.fromMs <= elapsed && elapsed < w.toMs)?.fault),
)
await driver.stop()
clearInterval(sampler)
probeLines.push(...probeTail.read())
await traffic.close()
await stopAll()
await upstream.close()

// Series over the seconds of the mixed traffic.
const sec = (t: number): number => (t - trafficStart) / 1000
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0
}
// A spread into Math.max overflows the stack on a long run's millions of latencies.
const maxOf = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, x), 0)
const MB = 1024 * 1024
const rows = procSamples
  .filter((p) => p.t >= trafficStart)
  .map((p) => {
    const s = Math.floor(sec(p.t))
    const probe = probeLines.find((l) => Math.floor(sec(l.t)) === s)
    const lat = latencyBySecond.get(s)
    return {
      s,
      rssMb: p.rss === undefined ? undefined : p.rss / MB,
      heapMb: probe === undefined ? undefined : probe.heapUsed / MB,
      heapTotalMb: probe === undefined ? undefined : probe.heapTotal / MB,
      p50Ms: lat === undefined ? undefined : pct(lat, 50),
      p99Ms: lat === undefined ? undefined : pct(lat, 99),
      eldP99Ms: probe?.eldP99,
      fds: p.fds,
    }
  })

// Warm-up lasts until the verified-token cache can have filled with new subjects (it grows
// legitimately until then), at least a minute and at most half the traffic.
const newShare = MIX.find(([k]) => k === 'jwt-new')![1] / MIX.reduce((n, [, w]) => n + w, 0)
const fillS = DEFAULT_VERIFIED_CACHE_ENTRIES / (rate * newShare)
const warmupS = Math.round(Math.min(trafficMs / 2000, Math.max(60, fillS)))
const after = rows.filter((r) => r.s >= warmupS)
const toPoints = (key: 'rssMb' | 'heapMb'): Point[] =>
  after.filter((r) => r[key] !== undefined).map((r) => ({ tMs: r.s * 1000, v: r[key]! }))
const rssSlope = slopePerMinute(toPoints('rssMb'))
const heapSlope = slopePerMinute(floors(toPoints('heapMb'), 10_000))
// V8 keeps the pages its heap once grew to, so RSS follows the heap's high-water mark, which
// rises in steps when a fault piles requests up (an org answering slowly). A leak shows as live
// heap (the floors above) or as memory outside the V8 heap growing: RSS beyond the high-water.
let highWater = 0
const beyond: Point[] = []
const highWaterSteps: { s: number; mb: number }[] = []
for (const r of rows) {
  if (r.heapTotalMb !== undefined && r.heapTotalMb > highWater) {
    highWater = r.heapTotalMb
    if (r.s >= warmupS) highWaterSteps.push({ s: r.s, mb: highWater })
  }
  if (r.s >= warmupS && r.rssMb !== undefined && highWater > 0) {
    beyond.push({ tMs: r.s * 1000, v: r.rssMb - highWater })
  }
}
const nativeSlope = slopePerMinute(beyond)
function highWaterAt(s: number): number | undefined {
  let m: number | undefined
  for (const r of rows) if (r.s <= s && r.heapTotalMb !== undefined) m = Math.max(m ?? 0, r.heapTotalMb)
  return m
}
const faultAt = (s: number): string =>
  windows.find((w) => s * 1000 >= w.fromMs && s * 1000 < w.toMs + 10_000)?.fault ?? 'no fault'
const judged = after.length >= 60
const fds = rows.map((r) => r.fds).filter((v): v is number => v !== undefined)
const elds = probeLines.filter((l) => sec(l.t) >= 0).map((l) => l.eldP99)
const allLat = [...latencyBySecond.values()].flat()
const mb = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(1)} MB`)
const slope = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(2)} MB/min`)

const failures: string[] = []
if (allowedWithout > 0) failures.push(`${allowedWithout} requests allowed without a valid credential`)
if (unexplained > 0) failures.push(`${unexplained} answers no fault explains`)
if (judged && heapSlope !== undefined && heapSlope > maxHeapSlope) {
  failures.push(`heap floor grows ${heapSlope.toFixed(2)} MB/min (limit ${maxHeapSlope})`)
}
if (judged && nativeSlope !== undefined && nativeSlope > maxRssSlope) {
  failures.push(`memory outside the V8 heap grows ${nativeSlope.toFixed(2)} MB/min (limit ${maxRssSlope})`)
}

const date = new Date(started).toISOString().slice(0, 10)
mkdirSync(args.out, { recursive: true })
const base = `${date}-soak`
const plotFile = `${base}.svg`
writeFileSync(
  join(args.out, plotFile),
  plotSvg(
    rows,
    windows.map((w) => ({ label: w.fault, fromS: w.fromMs / 1000, toS: w.toMs / 1000 })),
    `forcegate soak ${date}: ${minutes} min at ${rate} req/s`,
  ),
)
const report = soakReport({
  date,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, not pinned`,
  minutes,
  saturation,
  fraction,
  rate,
  sent: loop.sent,
  skipped: loop.skipped,
  tallies,
  windows,
  examples,
  warmupS,
  memory: [
    [
      'RSS at warm-up end / at the end / peak',
      `${mb(after[0]?.rssMb)} / ${mb(after.at(-1)?.rssMb)} / ${mb(Math.max(...rows.map((r) => r.rssMb ?? 0)))}`,
    ],
    ['RSS slope after warm-up', slope(rssSlope)],
    [
      'V8 heap high-water (committed heap) at warm-up end / at the end; its rises after warm-up',
      `${mb(highWaterAt(warmupS))} / ${mb(highWater)}; ${
        highWaterSteps.length === 0
          ? 'none'
          : highWaterSteps.map((h) => `${h.s} s → ${h.mb.toFixed(0)} MB (${faultAt(h.s)})`).join(', ')
      }`,
    ],
    [
      'RSS beyond the V8 heap high-water (native memory): slope after warm-up',
      `${slope(nativeSlope)} (limit ${maxRssSlope}${judged ? '' : '; run too short to judge'})`,
    ],
    ['heap used at warm-up end / at the end', `${mb(after[0]?.heapMb)} / ${mb(after.at(-1)?.heapMb)}`],
    [
      'heap floor slope after warm-up (lowest sample per 10 s)',
      `${slope(heapSlope)} (limit ${maxHeapSlope}${judged ? '' : '; run too short to judge'})`,
    ],
    [
      'open file descriptors: first / last / max',
      `${fds[0] ?? 'n/a'} / ${fds.at(-1) ?? 'n/a'} / ${fds.length === 0 ? 'n/a' : Math.max(...fds)}`,
    ],
    [
      'event-loop delay p99 per second: median / max',
      `${pct(elds, 50).toFixed(2)} ms / ${Math.max(0, ...elds).toFixed(2)} ms`,
    ],
    [
      'requests without an answer, by error',
      [...traffic.failures].map(([k, n]) => `${k} × ${n}`).join(', ') || 'none',
    ],
    [
      'latency of the quick requests: p50 / p99 / max',
      `${pct(allLat, 50).toFixed(2)} ms / ${pct(allLat, 99).toFixed(2)} ms / ${maxOf(allLat).toFixed(0)} ms`,
    ],
  ],
  failures,
  plotFile,
})
writeFileSync(join(args.out, `${base}.md`), report)
process.stdout.write(`${report}\n`)
log(`wrote ${join(args.out, `${base}.md`)} and ${plotFile}`)
process.exit(failures.length === 0 ? 0 : 1)
