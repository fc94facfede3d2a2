import type { ChildProcess } from 'node:child_process'

export const DEFAULT_LINE_DEADLINE_MS = 20_000

export interface ProcessOutput {
  /** Everything the process wrote to stdout so far. */
  stdout(): string
  /** Everything the process wrote to stderr so far. */
  stderr(): string
  /** Both streams, interleaved in arrival order. */
  text(): string
  /**
   * Resolves with the match once a complete line (stdout or stderr, already written or still to
   * come) matches; rejects when the process exits without one, or at the deadline. Either way
   * the error carries the output so far.
   */
  waitForLine(pattern: RegExp, deadlineMs?: number): Promise<RegExpExecArray>
}

/**
 * Watches a child process's output line by line from the moment it is called: tests wait for
 * what the process says, never for a guessed amount of time.
 */
export function watchOutput(child: ChildProcess, name = 'the process'): ProcessOutput {
  let stdout = ''
  let stderr = ''
  let text = ''
  const lines: string[] = []
  const partial = { stdout: '', stderr: '' }
  const listeners = new Set<() => void>()
  let closed = false

  const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const s = chunk.toString()
    if (stream === 'stdout') stdout += s
    else stderr += s
    text += s
    const parts = (partial[stream] + s).split('\n')
    partial[stream] = parts.pop() ?? ''
    if (parts.length === 0) return
    lines.push(...parts.map((l) => l.replace(/\r$/, '')))
    for (const notify of [...listeners]) notify()
  }
  child.stdout?.on('data', take('stdout'))
  child.stderr?.on('data', take('stderr'))
  // 'close' comes after both streams ended, so no line is still on its way.
  child.once('close', () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (partial[stream] !== '') lines.push(partial[stream])
      partial[stream] = ''
    }
    closed = true
    for (const notify of [...listeners]) notify()
  })

  function waitForLine(pattern: RegExp, deadlineMs = DEFAULT_LINE_DEADLINE_MS): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      let checked = 0
      const done = () => {
        clearTimeout(timer)
        listeners.delete(check)
      }
      const check = () => {
        for (; checked < lines.length; checked++) {
          pattern.lastIndex = 0
          const match = pattern.exec(lines[checked]!)
          if (match !== null) {
            done()
            return resolve(match)
          }
        }
        if (closed) {
          done()
          const code = child.exitCode ?? child.signalCode
          reject(new Error(`${name} exited (${code}) without a line matching ${pattern}:\n${text}`))
        }
      }
      const timer = setTimeout(() => {
        listeners.delete(check)
        reject(new Error(`no line matching ${pattern} from ${name} within ${deadlineMs} ms:\n${text}`))
      }, deadlineMs)
      listeners.add(check)
      check()
    })
  }

  return { stdout: () => stdout, stderr: () => stderr, text: () => text, waitForLine }
}
