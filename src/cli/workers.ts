import cluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'
import { UsageError } from './run-cli.ts'

/** Which worker slot a process fills (1…n); the first runs what must run once (the relay). */
export const WORKER_SLOT_ENV = 'FORCEGATE_WORKER_SLOT'

/** `--workers <n|auto>`: auto is one per core the process may use. */
export function parseWorkers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (text === 'auto') return availableParallelism()
  const n = Number(text)
  if (text.trim() === '' || !Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`--workers expects auto or a whole number from 1 to 256, found '${text}'`)
  return n
}

/** The slot of this process when it is a worker, else undefined. */
export function workerSlot(): number | undefined {
  if (!cluster.isWorker) return undefined
  const slot = Number(process.env[WORKER_SLOT_ENV])
  return Number.isInteger(slot) && slot > 0 ? slot : undefined
}

/** A drained worker leaves: its channel to the primary would otherwise keep the process alive. */
export function leaveCluster(): void {
  if (cluster.isWorker) cluster.worker?.disconnect()
}

export interface RunWorkersOptions {
  readonly count: number
  readonly err: (text: string) => void
  /** How long a stop waits for workers to drain before killing them. */
  readonly stopDeadlineMs?: number
}

/** A worker dying this soon after it started counts as a crash loop: replacements slow down. */
const QUICK_DEATH_MS = 2000
const MAX_RESTART_DELAY_MS = 5000

/**
 * The primary of `serve --workers n`: forks n copies of this command that share the listening
 * socket (node:cluster hands connections round-robin), each with its own caches and its own
 * connections to the shared stores. A worker that dies is replaced in its slot; SIGINT or SIGTERM
 * is passed to every worker, which drains as a single `serve` does, and the primary returns once
 * all have exited.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<number> {
  const slots = new Map<Worker, { slot: number; startedAt: number; listening: boolean }>()
  let stopping = false
  let restartDelayMs = 100
  let failed = false

  const fork = (slot: number) => {
    const worker = cluster.fork({
      [WORKER_SLOT_ENV]: String(slot),
      // A worker never outlives its primary, however the primary ends.
      FORCEGATE_STOP_WITH_PARENT: String(process.pid),
    })
    slots.set(worker, { slot, startedAt: Date.now(), listening: false })
    options.err(`forcegate: worker ${slot} started (pid ${worker.process.pid})\n`)
  }

  cluster.on('listening', (worker) => {
    const entry = slots.get(worker)
    if (entry !== undefined) entry.listening = true
  })
  const allExited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const entry = slots.get(worker)
      slots.delete(worker)
      if (entry === undefined) return
      const how = signal === null ? `code ${code}` : signal
      if (stopping) {
        if (code !== 0) failed = true
        if (slots.size === 0) resolve()
        return
      }
      if (!entry.listening) {
        // It never served (a configuration error, a port in use): a replacement would fail alike.
        options.err(`forcegate: worker ${entry.slot} exited with ${how} before listening; stopping\n`)
        failed = true
        stop()
        if (slots.size === 0) resolve()
        return
      }
      const quick = Date.now() - entry.startedAt < QUICK_DEATH_MS
      restartDelayMs = quick ? Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS) : 100
      options.err(
        `forcegate: worker ${entry.slot} (pid ${worker.process.pid}) exited with ${how}; starting another\n`,
      )
      setTimeout(() => {
        if (!stopping) fork(entry.slot)
        else if (slots.size === 0) resolve()
      }, restartDelayMs)
    })
  })

  for (let slot = 1; slot <= options.count; slot++) fork(slot)
  // Never unlistened, as in a single serve: a second signal must not kill the primary mid-drain.
  function stop(): void {
    if (stopping) return
    stopping = true
    options.err(`forcegate: stopping ${slots.size} workers\n`)
    for (const worker of slots.keys()) worker.process.kill('SIGTERM')
    const deadline = setTimeout(() => {
      options.err('forcegate: workers still running after the stop deadline; killing them\n')
      failed = true
      for (const worker of slots.keys()) worker.process.kill('SIGKILL')
    }, options.stopDeadlineMs ?? 25_000)
    deadline.unref()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  await allExited
  return failed ? 1 : 0
}
