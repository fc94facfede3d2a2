/**
 * Drives one measured run: `wrk` (Debian's) when present, `autocannon` otherwise, pinned to the
 * load generator's CPUs and bounded by `timeout`. Both report the same shape: requests/s,
 * p50/p99 latency, errors and non-2xx answers. wrk's report comes from a Lua `done()` hook
 * written per run, which also rotates tokens and sets request bodies when asked.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Bounded, spawnBounded } from './proc.ts'
import { NODE, WORK_DIR } from './tools.ts'

export interface LoadRequest {
  readonly url: string
  readonly method?: 'GET' | 'POST'
  readonly headers: Readonly<Record<string, string>>
  /** A file of tokens, one per line: each request carries the next one as `Authorization: Bearer`. */
  readonly tokensFile?: string
  /** Request body size in bytes (POST). */
  readonly bodyBytes?: number
}

export interface RunSpec {
  readonly connections: number
  readonly durationSeconds: number
}

export interface RunResult {
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly requests: number
  /** Socket errors and timeouts. */
  readonly errors: number
  /** Answers other than 2xx/3xx. */
  readonly non2xx: number
}

export interface LoadGenerator {
  readonly name: 'wrk' | 'autocannon'
  readonly version: string
  run(request: LoadRequest, spec: RunSpec): Promise<RunResult>
}

let scriptCount = 0

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** The per-run Lua script: request shape at load time, optional token rotation, JSON report. */
function wrkScript(request: LoadRequest): string {
  const lines: string[] = []
  if (request.bodyBytes !== undefined && request.bodyBytes > 0) {
    lines.push(`wrk.method = "POST"`, `wrk.body = string.rep("x", ${request.bodyBytes})`)
    lines.push(`wrk.headers["Content-Type"] = "application/octet-stream"`)
  } else if (request.method !== undefined) lines.push(`wrk.method = ${luaString(request.method)}`)
  if (request.tokensFile !== undefined) {
    lines.push(
      'local tokens, n, i = {}, 0, 0',
      `for line in io.lines(${luaString(request.tokensFile)}) do`,
      '  if #line > 0 then n = n + 1; tokens[n] = "Bearer " .. line end',
      'end',
      'function request()',
      '  i = i % n + 1',
      '  wrk.headers["Authorization"] = tokens[i]',
      '  return wrk.format()',
      'end',
    )
  }
  lines.push(
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n\',',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
  )
  return `${lines.join('\n')}\n`
}

async function collect(handle: Bounded): Promise<string> {
  let out = ''
  handle.child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  await handle.exited
  return out
}

export function wrkGenerator(version: string, cpus: string | undefined, threads: number): LoadGenerator {
  const dir = join(WORK_DIR, 'wrk')
  mkdirSync(dir, { recursive: true })
  return {
    name: 'wrk',
    version,
    async run(request, spec) {
      const script = join(dir, `run-${process.pid}-${scriptCount++ % 64}.lua`)
      writeFileSync(script, wrkScript(request))
      const args = [
        `-t${Math.max(1, Math.min(threads, spec.connections))}`,
        `-c${spec.connections}`,
        `-d${spec.durationSeconds}s`,
        '--timeout',
        '5s',
        '-s',
        script,
      ]
      for (const [name, value] of Object.entries(request.headers)) args.push('-H', `${name}: ${value}`)
      args.push(request.url)
      const handle = spawnBounded('wrk', args, {
        name: 'wrk',
        lifetimeSeconds: spec.durationSeconds + 20,
        cpus,
        captureStdout: true,
      })
      const out = await collect(handle)
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'))
      if (line === undefined) throw new Error(`wrk gave no report: ${out.slice(-300)}`)
      const r = JSON.parse(line) as Record<string, number>
      return {
        rps: (r.requests! / r.duration_us!) * 1e6,
        p50Ms: r.p50_us! / 1000,
        p99Ms: r.p99_us! / 1000,
        requests: r.requests!,
        errors: r.connect! + r.read! + r.write! + r.timeout!,
        non2xx: r.status!,
      }
    },
  }
}

export function autocannonGenerator(
  peerDir: string,
  version: string,
  cpus: string | undefined,
): LoadGenerator {
  const runner = new URL('./autocannon-run.ts', import.meta.url).pathname
  return {
    name: 'autocannon',
    version,
    async run(request, spec) {
      const tokens =
        request.tokensFile === undefined
          ? undefined
          : readFileSync(request.tokensFile, 'utf8').split('\n').filter(Boolean)
      const job = join(WORK_DIR, `autocannon-job-${process.pid}.json`)
      writeFileSync(job, JSON.stringify({ request, spec, tokens: tokens ?? null, peerDir }))
      const handle = spawnBounded(NODE, [runner, job], {
        name: 'autocannon',
        lifetimeSeconds: spec.durationSeconds + 30,
        cpus,
        captureStdout: true,
      })
      const out = await collect(handle)
      const line = out.split('\n').find((l) => l.startsWith('{"rps"'))
      if (line === undefined) throw new Error(`autocannon gave no report: ${out.slice(-300)}`)
      return JSON.parse(line) as RunResult
    },
  }
}
