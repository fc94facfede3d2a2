/**
 * What a scenario is: something that starts one server (or a small set of processes) on
 * 127.0.0.1 and says which request to send it. Scenario files in bench/scenarios export one
 * or more of these; the orchestrator runs them side by side and interleaves their runs.
 */
import { createServer } from 'node:net'
import type { CpuPlan } from './cpus.ts'
import type { Bounded } from './proc.ts'
import type { Identity } from './tokens.ts'

export type ScenarioKind = 'baseline' | 'peer' | 'forcegate'

export interface BenchContext {
  readonly cpus: CpuPlan
  /** Upper bound for any server's life, in seconds (`timeout`). */
  readonly lifetimeSeconds: number
  readonly upstreamUrl: string
  readonly upstreamHandle: Bounded
  readonly identity: Identity
  /** Scratch folder for this run's generated files. */
  readonly workDir: string
  readonly logDir: string
  readonly nextPort: () => Promise<number>
  readonly log: (line: string) => void
}

export interface Started {
  /** Base URL: http://127.0.0.1:<port> */
  readonly url: string
  /** Processes whose peak RSS is reported for this variant. */
  readonly measured: readonly Bounded[]
  /** Processes to stop at the end (measured ones included). */
  readonly owned: readonly Bounded[]
  /** From spawn to accepting connections, where measured. */
  readonly startupMs?: number
  /** Request headers replacing the defaults (another credential, for instance). */
  readonly headers?: Readonly<Record<string, string>>
}

export interface Scenario {
  readonly id: string
  readonly label: string
  readonly kind: ScenarioKind
  /** Request path, e.g. `/api/items`. */
  readonly path: string
  /** Token rotation: undefined sends the one token; 'all' the whole list; a number the first N. */
  readonly rotate?: 'all' | number
  readonly method?: 'GET' | 'POST'
  readonly bodyBytes?: number
  /** Longer warm-up (s) for variants that must fill a cache first. */
  readonly warmupSeconds?: number
  /** Scenarios with the same `server` share one started server (default: the id). */
  readonly server?: string
  /** Not measurable yet: printed as a row with this text instead of numbers. */
  readonly unavailable?: string
  start(ctx: BenchContext): Promise<Started>
}

/** A setup failure that makes a variant "unavailable: <reason>" without stopping the run. */
export class Unavailable extends Error {}

let portCursor = 0

/** The next free port at or above `base`, checked by binding 127.0.0.1. */
export async function freePort(base: number): Promise<number> {
  for (;;) {
    const port = base + portCursor++
    if (port > 65000) throw new Error('no free port')
    const ok = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (ok) return port
  }
}

/** Starts one of the bench's own Node servers (a fixture script) and waits for its port. */
export async function startNodeServer(
  ctx: BenchContext,
  name: string,
  script: string,
  env: Record<string, string>,
  cpus: string | undefined,
): Promise<{ handle: Bounded; port: number }> {
  const { spawnBounded, waitForPort } = await import('./proc.ts')
  const { NODE } = await import('./tools.ts')
  const port = await ctx.nextPort()
  const handle = spawnBounded(NODE, [script], {
    name,
    lifetimeSeconds: ctx.lifetimeSeconds,
    cpus,
    env: { ...env, PORT: String(port) },
    logFile: `${ctx.logDir}/${name}.log`,
  })
  await waitForPort(handle, port, 20_000)
  return { handle, port }
}

export const fixture = (file: string): string => new URL(`../fixtures/${file}`, import.meta.url).pathname
