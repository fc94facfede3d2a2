/**
 * Which CPU runs what. The server under test gets one CPU of its own; the load generator runs
 * on other CPUs. With three or more CPUs the upstream and helpers get a CPU apart from the
 * server; with two, they share the server's CPU (so "µs per request" includes the upstream);
 * with one, or without `taskset`, nothing is pinned and the table says so.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface CpuPlan {
  /** CPU list for the server under test (taskset syntax), undefined when unpinned. */
  readonly server: string | undefined
  /** CPU list for the upstream and helper processes. */
  readonly helpers: string | undefined
  readonly loadgen: string | undefined
  readonly description: string
}

export function allowedCpus(): number[] {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1]
    if (list !== undefined) return parseCpuList(list)
  } catch {
    // not Linux
  }
  return []
}

export function parseCpuList(list: string): number[] {
  const out: number[] = []
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number)
    if (a === undefined || Number.isNaN(a)) continue
    for (let c = a; c <= (b ?? a); c++) out.push(c)
  }
  return out
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function planCpus(pin: boolean): CpuPlan {
  const cpus = allowedCpus()
  if (!pin || cpus.length < 2 || !hasTaskset()) {
    const why = !pin ? 'pinning turned off' : cpus.length < 2 ? 'one CPU' : 'no taskset'
    return {
      server: undefined,
      helpers: undefined,
      loadgen: undefined,
      description: `not pinned (${why}): servers and load generator share the CPUs`,
    }
  }
  const [first, second, ...rest] = cpus as [number, number, ...number[]]
  if (cpus.length === 2) {
    return {
      server: String(first),
      helpers: String(first),
      loadgen: String(second),
      description: `server and upstream on CPU ${first}, load generator on CPU ${second}`,
    }
  }
  return {
    server: String(first),
    helpers: String(second),
    loadgen: rest.join(','),
    description: `server on CPU ${first}, upstream and helpers on CPU ${second}, load generator on CPU ${rest.join(',')}`,
  }
}
