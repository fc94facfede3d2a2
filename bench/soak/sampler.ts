/**
 * Once a second, what the gateway costs: RSS and open file descriptors from /proc/<pid> (summed
 * over its serving processes), and the heap and event-loop delay its preloaded probe wrote to
 * its log since the last look.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { currentRss } from '../lib/proc.ts'
import { PROBE_PREFIX, type ProbeLine } from './probe-line.ts'

export interface ProcSample {
  readonly t: number
  readonly rss: number | undefined
  readonly fds: number | undefined
}

export function openFds(pids: readonly number[]): number | undefined {
  let total = 0
  let seen = false
  for (const p of pids) {
    try {
      total += readdirSync(`/proc/${p}/fd`).length
      seen = true
    } catch {
      // gone, or not ours to read
    }
  }
  return seen ? total : undefined
}

export function sampleProc(pids: readonly number[]): ProcSample {
  return { t: Date.now(), rss: currentRss(pids), fds: openFds(pids) }
}

/** Reads the probe's lines appended to a log file since the previous call. */
export class ProbeTail {
  private offset = 0
  private partial = ''

  private readonly file: string

  constructor(file: string) {
    this.file = file
  }

  read(): ProbeLine[] {
    let size: number
    try {
      size = statSync(this.file).size
    } catch {
      return []
    }
    if (size <= this.offset) return []
    const buf = Buffer.alloc(size - this.offset)
    const fd = openSync(this.file, 'r')
    try {
      readSync(fd, buf, 0, buf.length, this.offset)
    } finally {
      closeSync(fd)
    }
    this.offset = size
    const text = this.partial + buf.toString('utf8')
    const lines = text.split('\n')
    this.partial = lines.pop() ?? ''
    const out: ProbeLine[] = []
    for (const line of lines) {
      const at = line.indexOf(PROBE_PREFIX)
      if (at < 0) continue
      try {
        out.push(JSON.parse(line.slice(at + PROBE_PREFIX.length)) as ProbeLine)
      } catch {
        // a line cut by another writer
      }
    }
    return out
  }
}
