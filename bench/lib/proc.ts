/**
 * Child processes for the bench: every one runs under `timeout` (so it ends by itself even if
 * the orchestrator dies), optionally under `taskset`, and is remembered so that `stopAll()`
 * ends exactly the processes started here, by their process group.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export interface Bounded {
  readonly name: string
  readonly child: ChildProcess
  /** The pid of the `timeout` wrapper, which leads the process group of everything below it. */
  readonly pid: number
  readonly exited: Promise<number | null>
  /** Tail of the combined stdout/stderr log file. */
  readonly logFile: string | undefined
}

const running = new Set<Bounded>()

export interface SpawnOptions {
  readonly name: string
  /** Seconds after which `timeout` ends the process. */
  readonly lifetimeSeconds: number
  /** `taskset -c` CPU list; undefined runs unpinned. */
  readonly cpus?: string | undefined
  readonly cwd?: string
  readonly env?: Record<string, string>
  /** Where stdout and stderr go; undefined discards them. */
  readonly logFile?: string
  /** Keep stdout in a pipe (for load generators whose report we parse). */
  readonly captureStdout?: boolean
}

export function spawnBounded(command: string, args: readonly string[], options: SpawnOptions): Bounded {
  const wrapped = ['timeout', '-k', '5', String(Math.ceil(options.lifetimeSeconds))]
  if (options.cpus !== undefined) wrapped.unshift('taskset', '-c', options.cpus)
  const out = options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a')
  const child = spawn(wrapped[0]!, [...wrapped.slice(1), command, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.captureStdout === true ? 'pipe' : out, out],
    // Own process group, so that stopping the group reaches nginx workers and node children.
    detached: true,
  })
  if (child.pid === undefined) throw new Error(`could not start ${options.name}: ${command}`)
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.once('error', () => resolve(null))
  })
  const handle: Bounded = { name: options.name, child, pid: child.pid, exited, logFile: options.logFile }
  running.add(handle)
  void exited.then(() => running.delete(handle))
  return handle
}

/** Ends one bounded process: SIGTERM to its group, then SIGKILL after a grace period. */
export async function stop(handle: Bounded, graceMs = 3000): Promise<void> {
  if (!running.has(handle)) return
  signalGroup(handle.pid, 'SIGTERM')
  const done = await Promise.race([handle.exited.then(() => true), sleep(graceMs).then(() => false)])
  if (!done) signalGroup(handle.pid, 'SIGKILL')
  await Promise.race([handle.exited, sleep(1000)])
  running.delete(handle)
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((h) => stop(h)))
}

/** Synchronous last resort for `exit` handlers: kill every group we started. */
export function killAllNow(): void {
  for (const h of running) signalGroup(h.pid, 'SIGKILL')
  running.clear()
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

/** Waits until `port` accepts TCP connections on 127.0.0.1, or throws with the log's tail. */
export async function waitForPort(handle: Bounded, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let gone = false
  void handle.exited.then(() => {
    gone = true
  })
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${handle.name} exited before listening${logTail(handle)}`)
    if (await canConnect(port)) return
    await sleep(100)
  }
  throw new Error(`${handle.name} did not listen on ${port} within ${timeoutMs} ms${logTail(handle)}`)
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export function logTail(handle: Bounded, lines = 8): string {
  if (handle.logFile === undefined) return ''
  try {
    const text = readFileSync(handle.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    return text === '' ? '' : `:\n${text}`
  } catch {
    return ''
  }
}

/** The pid and every descendant pid (from /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const p = queue.shift()!
    out.push(p)
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${p}/task`)
    } catch {
      continue
    }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim()
        if (kids !== '') queue.push(...kids.split(/\s+/).map(Number))
      } catch {
        // task ended
      }
    }
  }
  return out
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? undefined : Number(m[1]) * 1024
  } catch {
    return undefined
  }
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

/** The processes that do the serving: the tree minus the `timeout`/`taskset` wrappers. */
export function servingPids(handles: readonly Bounded[]): number[] {
  return handles
    .flatMap((h) => processTree(h.pid))
    .filter((p) => {
      const name = commandName(p)
      return name !== 'timeout' && name !== 'taskset' && name !== ''
    })
}

/** Resets the peak-RSS mark (VmHWM) of each pid; false where the kernel refuses. */
export function resetPeakRss(pids: readonly number[]): boolean {
  let ok = true
  for (const p of pids) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5')
    } catch {
      ok = false
    }
  }
  return ok
}

/** Sum of VmHWM (peak resident set) over the pids, in bytes. */
export function peakRss(pids: readonly number[]): number | undefined {
  let total = 0
  let seen = false
  for (const p of pids) {
    const v = statusField(p, 'VmHWM')
    if (v !== undefined) {
      total += v
      seen = true
    }
  }
  return seen ? total : undefined
}

/** Sum of the current VmRSS over the pids, in bytes. */
export function currentRss(pids: readonly number[]): number | undefined {
  let total = 0
  let seen = false
  for (const p of pids) {
    const v = statusField(p, 'VmRSS')
    if (v !== undefined) {
      total += v
      seen = true
    }
  }
  return seen ? total : undefined
}

/** Runs a short command to completion (bounded), returning its exit code and output. */
export function runBounded(
  command: string,
  args: readonly string[],
  options: { timeoutSeconds: number; cwd?: string; env?: Record<string, string>; echo?: boolean },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('timeout', ['-k', '5', String(options.timeoutSeconds), command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const take = (chunk: Buffer): void => {
      output += chunk.toString()
      if (options.echo === true) process.stdout.write(chunk)
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.once('error', (err) => resolve({ code: null, output: output + String(err) }))
    child.once('exit', (code) => resolve({ code, output }))
  })
}
