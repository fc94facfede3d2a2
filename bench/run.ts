/**
 * `npm run bench [-- --quick] [-- <scenario or section>…]`: starts every server of a section
 * pinned to its own CPU where the machine allows, drives it from another CPU with wrk (or
 * autocannon), interleaves the variants over several rounds (A B C … then B C … A), and prints
 * and writes the tables. Only 127.0.0.1 is ever targeted; every process runs under `timeout`
 * and is stopped at the end, also on failure or Ctrl-C.
 *
 * Sections: main (baselines, peers, forcegate at 1 and 100 connections), routes, identities,
 * bodies, scale (usage plans in Redis, serve --workers), memory. See bench/README.md.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, cpus as osCpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { planCpus } from './lib/cpus.ts'
import { autocannonGenerator, type LoadGenerator, type LoadRequest, wrkGenerator } from './lib/loadgen.ts'
import {
  killAllNow,
  peakRss,
  resetPeakRss,
  servingPids,
  spawnBounded,
  stop,
  stopAll,
  waitForPort,
} from './lib/proc.ts'
import { updateReadme } from './lib/readme.ts'
import {
  evaluateTargets,
  find,
  growthTable,
  type Measured,
  mainTable,
  memoryTable,
  targetsTable,
  type VariantResult,
} from './lib/report.ts'
import {
  type BenchContext,
  fixture,
  freePort,
  type Scenario,
  type Started,
  Unavailable,
} from './lib/scenario.ts'
import { busyPercent, cpuTimes, fmtInt, fmtMs } from './lib/stats.ts'
import { ensureIdentity, tokenSubset } from './lib/tokens.ts'
import {
  BENCH_DIR,
  commandVersion,
  ensureDebianPackages,
  ensureNpmPeer,
  installedVersion,
  NODE,
  REPO_DIR,
  WORK_DIR,
  which,
} from './lib/tools.ts'
import { bodyScenarios } from './scenarios/body-size.ts'
import { CACHE_LABELS, measureCacheMemory } from './scenarios/cache-memory.ts'
import { directUpstream } from './scenarios/direct-upstream.ts'
import { FASTIFY_PACKAGES, fastifyJose } from './scenarios/fastify-jose.ts'
import { forcegateJwt10k, forcegateJwtCached, forcegateJwtVerify } from './scenarios/forcegate-jwt.ts'
import { forcegateLambda } from './scenarios/forcegate-lambda.ts'
import { forcegateLambdaMapped } from './scenarios/forcegate-lambda-mapped.ts'
import { forcegateTokenAuthorizerMetrics } from './scenarios/forcegate-metrics.ts'
import { forcegatePassthrough } from './scenarios/forcegate-passthrough.ts'
import { routeScenario } from './scenarios/forcegate-routes.ts'
import { forcegateSalesforce } from './scenarios/forcegate-salesforce.ts'
import {
  forcegatePlanLocal,
  forcegatePlanRedis,
  forcegateWorkers1,
  forcegateWorkers2,
} from './scenarios/forcegate-scale-out.ts'
import { forcegateTokenAuthorizer } from './scenarios/forcegate-token-authorizer.ts'
import { nginxAuthRequest } from './scenarios/nginx-auth-request.ts'
import { nginxProxy } from './scenarios/nginx-proxy.ts'
import { SERVERLESS_PACKAGES, serverlessOffline } from './scenarios/serverless-offline.ts'
import { undiciProxy } from './scenarios/undici-proxy.ts'

const USAGE = `usage: npm run bench [-- [--quick] [--rounds N] [--duration S] [--warmup S]
                          [--connections 1,100] [--loadgen wrk|autocannon] [--no-pin]
                          [--no-install] [--no-readme] [--port-base N] [scenario|section ...]]
The relay (platform events, publish to Lambda, beside a bare subscriber) has its own script:
  node bench/relay.ts [--live N] [--events N] [--concurrency C] [--target lambda|route]`

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    loadgen: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    'no-install': { type: 'boolean', default: false },
    'no-readme': { type: 'boolean', default: false },
    'port-base': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (opts.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}

const quick = opts.quick === true
const settings = {
  rounds: Number(opts.rounds ?? (quick ? 1 : 3)),
  duration: Number(opts.duration ?? (quick ? 2 : 8)),
  warmup: Number(opts.warmup ?? (quick ? 1 : 2)),
  connections: (opts.connections ?? (quick ? '100' : '1,100')).split(',').map(Number),
  growthConnections: 100,
  memorySizes: quick ? [1, 10_000, 100_000] : [1, 10_000, 1_000_000],
  rotatingTokens: 20_000,
}

// ---- sections and selection ------------------------------------------------------------------

const BASELINES = [directUpstream, undiciProxy, nginxProxy]
const PEERS = [serverlessOffline, nginxAuthRequest, fastifyJose]
const FORCEGATE = [
  forcegatePassthrough,
  forcegateLambda,
  forcegateLambdaMapped,
  forcegateTokenAuthorizer,
  forcegateTokenAuthorizerMetrics,
  forcegateJwtCached,
  forcegateJwtVerify,
  forcegateSalesforce,
]
const ROUTES = [routeScenario(10), routeScenario(1_000), routeScenario(10_000)]
const IDENTITIES = [forcegateJwtCached, forcegateJwt10k]
const SCALE = [forcegatePlanLocal, forcegatePlanRedis, forcegateWorkers1, forcegateWorkers2]
/** Each scale-out variant against the one it is compared with in the same run. */
const SCALE_REFERENCE: Record<string, string> = {
  'fg-plan-redis': 'fg-plan-local',
  'fg-workers-2': 'fg-workers-1',
}
// Quick mode keeps the 1 MB bodies only.
const BODIES = bodyScenarios().filter(
  (s) => !quick || (s.bodyBytes ?? Number(s.path.split('/').pop())) > 1024,
)
const SECTIONS = {
  main: [...BASELINES, ...PEERS, ...FORCEGATE],
  routes: ROUTES,
  identities: IDENTITIES,
  bodies: BODIES,
  scale: SCALE,
  memory: [] as Scenario[],
}
type SectionName = keyof typeof SECTIONS

const wanted = new Set<string>()
const wantedSections = new Set<SectionName>()
for (const p of positionals) {
  if (p in SECTIONS) wantedSections.add(p as SectionName)
  else if (Object.values(SECTIONS).some((list) => list.some((s) => s.id === p))) wanted.add(p)
  else {
    const ids = [...new Set(Object.values(SECTIONS).flatMap((l) => l.map((s) => s.id)))]
    process.stderr.write(
      `unknown scenario '${p}'\n${USAGE}\nsections: ${Object.keys(SECTIONS).join(', ')}\nscenarios: ${ids.join(', ')}\n`,
    )
    process.exit(2)
  }
}
const everything = positionals.length === 0
function selected(section: SectionName): Scenario[] {
  const list = SECTIONS[section]
  if (everything || wantedSections.has(section)) return list
  const picked = list.filter((s) => wanted.has(s.id))
  if (picked.length === 0) return []
  // Baselines are part of every run of the main table, so ratios always have a denominator.
  return section === 'main' ? [...new Set([...BASELINES, ...picked])] : picked
}
const runMemory = everything || wantedSections.has('memory')

// ---- logging, cleanup ------------------------------------------------------------------------

const startedAt = new Date()
const t0 = Date.now()
const log = (line: string): void => {
  process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`)
}
let stopping = false
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    await stopAll()
  }
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(130))
process.on('SIGTERM', () => void shutdown(143))
process.on('exit', () => killAllNow())

// ---- setup -----------------------------------------------------------------------------------

async function setup() {
  const loadBefore = loadavg()
  log(
    `forcegate bench${quick ? ' (quick)' : ''}: rounds ${settings.rounds}, ${settings.duration} s runs after ${settings.warmup} s warm-up`,
  )
  log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`)
  const installed: string[] = []
  if (opts['no-install'] !== true) {
    const apt = [{ command: 'nginx', pkg: 'nginx' }]
    if (opts.loadgen !== 'autocannon') apt.unshift({ command: 'wrk', pkg: 'wrk' })
    const missingBefore = apt.filter((a) => which(a.command) === undefined).map((a) => a.pkg)
    const stillMissing = await ensureDebianPackages(apt, log)
    installed.push(...missingBefore.filter((p) => !stillMissing.includes(p)).map((p) => `${p} (Debian)`))
  }
  const cpus = planCpus(opts['no-pin'] !== true)
  log(`pinning: ${cpus.description}`)
  let loadgen: LoadGenerator
  const loadgenThreads = cpus.loadgen === undefined ? 1 : cpus.loadgen.split(',').length
  if (opts.loadgen !== 'autocannon' && which('wrk') !== undefined) {
    loadgen = wrkGenerator(
      commandVersion('wrk', ['-v'], /wrk (?:debian\/)?([\d.]+)/),
      cpus.loadgen,
      loadgenThreads,
    )
  } else {
    const dir = await ensureNpmPeer('autocannon', ['autocannon@8.0.0'], log)
    loadgen = autocannonGenerator(dir, installedVersion(dir, 'autocannon'), cpus.loadgen)
  }
  log(`load generator: ${loadgen.name} ${loadgen.version}`)
  return { loadBefore, installed, cpus, loadgen }
}

function estimateSeconds(): number {
  const cell = settings.warmup + settings.duration + 1
  const main = selected('main').length * settings.connections.length
  const growth =
    selected('routes').length +
    selected('identities').length +
    selected('bodies').length +
    selected('scale').length
  return settings.rounds * cell * (main + growth) + 600
}

// ---- running a section -----------------------------------------------------------------------

const servers = new Map<string, Promise<Started | Error>>()

/** Starts a scenario's server once (scenarios may share one); failures come back as errors. */
function startServer(ctx: BenchContext, scenario: Scenario): Promise<Started | Error> {
  const key = scenario.server ?? scenario.id
  let pending = servers.get(key)
  if (pending === undefined) {
    pending = scenario.start(ctx).catch((err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err))
      log(`  ${scenario.id}: unavailable: ${error.message.split('\n')[0]}`)
      return error
    })
    servers.set(key, pending)
  }
  return pending
}

function requestFor(ctx: BenchContext, scenario: Scenario, started: Started): LoadRequest {
  const tokensFile =
    scenario.rotate === undefined
      ? undefined
      : scenario.rotate === 'all'
        ? ctx.identity.tokensFile
        : tokenSubset(ctx.identity, scenario.rotate)
  return {
    url: `${started.url}${scenario.path}`,
    headers: started.headers ?? { Authorization: `Bearer ${ctx.identity.token}` },
    ...(tokensFile === undefined ? {} : { tokensFile }),
    ...(scenario.method === undefined ? {} : { method: scenario.method }),
    ...(scenario.bodyBytes === undefined ? {} : { bodyBytes: scenario.bodyBytes }),
  }
}

/**
 * One request before measuring: a variant that does not answer 2xx is reported, not measured.
 * A 5xx or a network error gets two more tries a second apart (a server warming up).
 */
async function probe(request: LoadRequest): Promise<string | undefined> {
  const token =
    request.tokensFile === undefined ? undefined : readFileSync(request.tokensFile, 'utf8').split('\n')[0]
  let problem = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000))
    try {
      const res = await fetch(request.url, {
        method: request.bodyBytes === undefined ? (request.method ?? 'GET') : 'POST',
        headers: token === undefined ? request.headers : { Authorization: `Bearer ${token}` },
        ...(request.bodyBytes === undefined ? {} : { body: 'x'.repeat(request.bodyBytes) }),
        signal: AbortSignal.timeout(15_000),
      })
      const text = await res.text()
      if (res.status < 300) return undefined
      problem = `answered ${res.status} ${text.slice(0, 120)}`
      if (res.status < 500) return problem
    } catch (err) {
      problem = `probe failed: ${(err as Error).message}`
    }
  }
  return problem
}

async function runSection(
  ctx: BenchContext,
  loadgen: LoadGenerator,
  name: string,
  scenarios: readonly Scenario[],
  connections: readonly number[],
  options: { sequentialStart?: boolean } = {},
): Promise<VariantResult[]> {
  if (scenarios.length === 0) return []
  log(`section ${name}: starting ${scenarios.length} scenario(s)`)
  const results: VariantResult[] = []
  const live: { v: VariantResult; request: LoadRequest; started: Started }[] = []
  // Servers start side by side (one by one where start-up time is reported); runs begin once all are up.
  const starts: (Promise<Started | Error> | undefined)[] = []
  for (const s of scenarios) {
    const pending = s.unavailable === undefined ? startServer(ctx, s) : undefined
    if (options.sequentialStart === true) await pending
    starts.push(pending)
  }
  for (const [index, scenario] of scenarios.entries()) {
    const rows = connections.map(
      (c) => ({ scenario, connections: c, runs: [] as Measured[] }) as VariantResult,
    )
    results.push(...rows)
    if (scenario.unavailable !== undefined) {
      for (const r of rows) r.unavailable = scenario.unavailable
      continue
    }
    const started = (await starts[index])!
    if (started instanceof Error) {
      const why =
        started instanceof Unavailable ? started.message : `setup failed: ${started.message.split('\n')[0]}`
      for (const r of rows) r.unavailable = why
      continue
    }
    const request = requestFor(ctx, scenario, started)
    const bad = await probe(request)
    if (bad !== undefined) {
      log(`  ${scenario.id}: ${bad}`)
      for (const r of rows) r.unavailable = bad
      continue
    }
    for (const v of rows) {
      if (started.startupMs !== undefined) v.startupMs = started.startupMs
      live.push({ v, request, started })
    }
  }
  for (let round = 0; round < settings.rounds; round++) {
    const order = live.map((_, i) => live[(i + round * 3) % live.length]!)
    for (const { v, request, started } of order) {
      if (v.unavailable !== undefined) continue
      const spec = { connections: v.connections, durationSeconds: settings.duration }
      try {
        await loadgen.run(request, {
          connections: v.connections,
          durationSeconds: Math.max(settings.warmup, v.scenario.warmupSeconds ?? 0),
        })
        const pids = servingPids(started.measured)
        resetPeakRss(pids)
        const before = cpuTimes()
        const r = await loadgen.run(request, spec)
        const after = cpuTimes()
        const measured: Measured = {
          ...r,
          peakRss: peakRss(servingPids(started.measured)),
          serverBusy: busyPercent(before, after, ctx.cpus.server),
          loadgenBusy: busyPercent(before, after, ctx.cpus.loadgen),
        }
        v.runs.push(measured)
        log(
          `  r${round + 1}/${settings.rounds} ${v.scenario.id} c=${v.connections}: ${fmtInt(r.rps)} req/s, p50 ${fmtMs(r.p50Ms)} ms, p99 ${fmtMs(r.p99Ms)} ms${r.errors + r.non2xx > 0 ? `, ${r.errors} errors, ${r.non2xx} non-2xx` : ''}`,
        )
      } catch (err) {
        v.unavailable = `run failed: ${(err as Error).message.split('\n')[0]}`
        log(`  ${v.scenario.id} c=${v.connections}: ${v.unavailable}`)
      }
    }
  }
  return results
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { loadBefore, installed, cpus, loadgen } = await setup()
  const lifetimeSeconds = estimateSeconds() * 2
  const portBase = Number(opts['port-base'] ?? 18400)
  const upstreamPort = await freePort(portBase)
  const issuer = `http://127.0.0.1:${upstreamPort}`
  const identity = await ensureIdentity(issuer, settings.rotatingTokens, log)
  const runDir = join(WORK_DIR, 'run')
  const logDir = join(runDir, 'logs')
  rmSync(logDir, { recursive: true, force: true })
  mkdirSync(logDir, { recursive: true })
  const upstream = spawnBounded(NODE, [fixture('upstream.ts')], {
    name: 'upstream',
    lifetimeSeconds,
    cpus: cpus.helpers,
    env: { PORT: String(upstreamPort), JWKS_FILE: identity.jwksFile, DISCOVERY_FILE: identity.discoveryFile },
    logFile: join(logDir, 'upstream.log'),
  })
  await waitForPort(upstream, upstreamPort, 20_000)
  const ctx: BenchContext = {
    cpus,
    lifetimeSeconds,
    upstreamUrl: issuer,
    upstreamHandle: upstream,
    identity,
    workDir: runDir,
    logDir,
    nextPort: () => freePort(portBase),
    log,
  }
  const main = await runSection(ctx, loadgen, 'main', selected('main'), settings.connections)
  const growth = [settings.growthConnections]
  const routes = await runSection(ctx, loadgen, 'routes', selected('routes'), growth, {
    sequentialStart: true,
  })
  const identities = await runSection(ctx, loadgen, 'identities', selected('identities'), growth)
  const bodies = await runSection(ctx, loadgen, 'bodies', selected('bodies'), growth)
  const scale = await runSection(ctx, loadgen, 'scale', selected('scale'), growth)
  for (const pending of servers.values()) {
    const s = await pending
    if (!(s instanceof Error)) for (const h of s.owned) await stop(h)
  }
  let memory: Awaited<ReturnType<typeof measureCacheMemory>> = []
  if (runMemory) {
    log('section memory: in-process cache fill')
    memory = await measureCacheMemory(ctx, settings.memorySizes)
  }
  await stopAll()
  const loadAfter = loadavg()
  log(`load average after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`)

  const elapsed = (Date.now() - t0) / 1000
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  // The RSS target is one process's: the --workers rows sum several and are left out of it.
  const forcegateRows = [...main, ...routes, ...identities, ...bodies, ...scale].filter(
    (v) => v.scenario.kind === 'forcegate' && !v.scenario.id.startsWith('fg-workers'),
  )
  const targets = evaluateTargets(main, routes, memory, forcegateRows, bodies, [
    ...routes,
    ...identities,
    ...scale,
  ])
  const sections: string[] = []
  if (main.length > 0) sections.push(`## Main table\n\n${mainTable(main, true)}`)
  if (targets.length > 0)
    sections.push(`## Targets (100 connections unless noted)\n\n${targetsTable(targets)}`)
  if (routes.length > 0) {
    const ref = find(routes, 'fg-routes-10', settings.growthConnections)
    sections.push(
      `## Cost of the number of routes\n\n${growthTable(routes, () => ref, '× 10 routes', {
        title: 'start-up s',
        cell: (v) => (v.startupMs === undefined ? '—' : (v.startupMs / 1000).toFixed(1)),
      })}`,
    )
  }
  if (identities.length > 0 || memory.length > 0) {
    const ref = find(identities, 'fg-jwt-cached', settings.growthConnections)
    const parts = ['## Cost of the number of cached identities']
    if (identities.length > 0) parts.push(growthTable(identities, () => ref, '× 1 identity'))
    if (memory.length > 0) {
      parts.push(
        'In-process, without HTTP: each cache filled with N distinct entries shaped as the gateway stores them, then random hits for 1 s.',
        memoryTable(memory, CACHE_LABELS),
      )
    }
    sections.push(parts.join('\n\n'))
  }
  if (bodies.length > 0) {
    sections.push(
      `## Cost of the body size\n\n${growthTable(
        bodies,
        (v) =>
          v.scenario.id.startsWith('undici')
            ? undefined
            : find(bodies, v.scenario.id.replace('fg-passthrough', 'undici'), v.connections),
        '× undici proxy, same body',
        {
          title: 'MB/s',
          cell: (v, s) =>
            (((v.scenario.bodyBytes ?? Number(v.scenario.path.split('/').pop())) * s.rps) / 1048576).toFixed(
              0,
            ),
        },
      )}`,
    )
  }
  if (scale.length > 0) {
    sections.push(
      [
        '## Scaling out',
        `Same run, ${settings.growthConnections} connections. The usage-plan rows count every request (throttle and daily quota, never refused) in the process or in a redis-server on loopback pinned with the helpers. The --workers rows are not pinned: their workers may use every CPU, and the load generator (${cpus.description}) takes its share of the second one, so the ratio is what a second worker adds on this machine, not what a free core would.`,
        growthTable(
          scale,
          (v) => {
            const reference = SCALE_REFERENCE[v.scenario.id]
            return reference === undefined ? undefined : find(scale, reference, v.connections)
          },
          '× its reference',
          {
            // Whether the second worker found CPU time or took it from the load generator.
            title: 'CPU busy % server/loadgen',
            cell: (_v, s) =>
              Number.isFinite(s.serverBusy) ? `${s.serverBusy.toFixed(0)}/${s.loadgenBusy.toFixed(0)}` : '—',
          },
        ),
      ].join('\n\n'),
    )
  }
  const environment = describeEnvironment({
    loadBefore,
    loadAfter,
    installed,
    cpus,
    loadgen,
    elapsed,
    command,
  })
  const markdown = `# forcegate bench, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n${environment}\n\n${sections.join('\n\n')}\n\n${READING}\n`
  process.stdout.write(`\n${sections.join('\n\n')}\n\n`)
  if (quick) {
    const file = join(WORK_DIR, 'last-quick.md')
    writeFileSync(file, markdown)
    log(`quick run: ${elapsed.toFixed(0)} s; results in bench/.work/last-quick.md (not committed)`)
    return
  }
  const resultsDir = join(BENCH_DIR, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const day = startedAt.toISOString().slice(0, 10)
  const suffix = everything ? '' : `-${positionals.join('-')}`
  let file = join(resultsDir, `${day}${suffix}.md`)
  if (existsSync(file))
    file = join(resultsDir, `${day}-${startedAt.toISOString().slice(11, 16).replace(':', '')}${suffix}.md`)
  writeFileSync(file, markdown)
  log(`results written to bench/results/${file.split('/').pop()} (${elapsed.toFixed(0)} s)`)
  if (everything && opts['no-readme'] !== true) {
    const name = file.split('/').pop()
    const machine =
      environment
        .split('\n')
        .find((l) => l.startsWith('- Machine: '))
        ?.slice(11) ?? ''
    const summary = [
      `Latest full run: ${startedAt.toISOString().slice(0, 10)}, ${machine}, load average ${loadBefore[0]!.toFixed(2)} before and ${loadAfter[0]!.toFixed(2)} after; full tables in [bench/results/${name}](bench/results/${name}). Produced by:`,
      '',
      '```sh',
      command,
      '```',
      '',
      mainTable(main, false),
      '',
      targetsTable(targets),
    ].join('\n')
    updateReadme(join(REPO_DIR, 'README.md'), summary)
    log('README.md: Performance section updated')
  }
}

function describeEnvironment(e: {
  loadBefore: number[]
  loadAfter: number[]
  installed: string[]
  cpus: ReturnType<typeof planCpus>
  loadgen: LoadGenerator
  elapsed: number
  command: string
}): string {
  const model = osCpus()[0]?.model ?? 'unknown CPU'
  const commit = (() => {
    try {
      return execFileSync('git', ['describe', '--always', '--dirty'], {
        cwd: REPO_DIR,
        encoding: 'utf8',
      }).trim()
    } catch {
      return '?'
    }
  })()
  const nginx =
    which('nginx') === undefined ? 'not installed' : commandVersion('nginx', ['-v'], /nginx\/([\d.]+)/)
  const peer = (name: string) => join(WORK_DIR, 'peers', name)
  const versions = [
    `Node ${process.version}`,
    `undici ${installedVersion(REPO_DIR, 'undici')}`,
    `jose ${installedVersion(REPO_DIR, 'jose')}`,
    `nginx ${nginx}`,
    `${e.loadgen.name} ${e.loadgen.version}`,
    ...SERVERLESS_PACKAGES.map((p) => p.replace(/@[^@]+$/, '')).map(
      (p) => `${p} ${installedVersion(peer('serverless'), p)}`,
    ),
    ...FASTIFY_PACKAGES.map((p) => p.replace(/@[^@/]+$/, '')).map(
      (p) => `${p} ${installedVersion(peer('fastify'), p)}`,
    ),
  ]
  return [
    `- Command: \`${e.command}\` (${(e.elapsed / 60).toFixed(1)} min), forcegate ${commit}`,
    `- Machine: ${osCpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${e.cpus.description}`,
    `- Load average (1/5/15 min) before: ${e.loadBefore.map((l) => l.toFixed(2)).join(' / ')}; after: ${e.loadAfter.map((l) => l.toFixed(2)).join(' / ')}`,
    `- Runs: ${settings.rounds} interleaved round(s) per variant, each ${settings.duration} s measured after a ${settings.warmup} s warm-up (discarded); load generator: ${e.loadgen.name}, one thread per load-generator CPU`,
    `- Versions: ${versions.join(', ')}`,
    e.installed.length > 0 ? `- Installed by this run: ${e.installed.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n')
}

const READING = `## How to read this

- Every request (direct ones too) carries the same \`Authorization: Bearer <RS256 JWT>\` header unless it rotates tokens; the upstream answers a 100-byte JSON over keep-alive on loopback.
- "req/s" is the median of the runs with the lowest and highest in brackets; p50/p99 are medians of the runs' percentiles (closed loop: at 100 connections they mostly reflect queueing); "peak RSS" is the highest VmHWM of the serving processes during a measured run (for nginx auth_request: nginx and the authorizer; for "direct": the upstream).
- Ratios divide by the baselines of the same run at the same number of connections. With two CPUs the upstream shares the server's CPU, so each number is what one core does for the gateway and its upstream together.
- forcegate runs with \`log.access: false\` and level \`warn\` (the peers log nothing either). serverless-offline does not emulate the authorizer result cache, so it runs the authorizer on every request; forcegate's TOKEN row serves the cached policy.
- "new token each request" rotates through ${settings.rotatingTokens.toLocaleString('en-US')} pre-minted tokens, more than forcegate's verified-token cache holds (10,000), so every request is verified; fastify + jose receives the same tokens and never caches.
- Peak RSS includes the Node binary and V8's young generation, which V8 grows to as much as 128 MB (two 64 MB semi-spaces) under sustained allocation: at 100 connections that dominates the RSS of every Node server, the minimal undici proxy included.
- "a cached decision" is judged by heap bytes per entry at the largest size; RSS per entry also counts heap headroom V8 reserves.
- Differences under ~10 % are within run-to-run noise on a virtual machine.`

main().then(
  () => shutdown(0),
  async (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    await shutdown(1)
  },
)
