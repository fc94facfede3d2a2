import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { watchOutput } from './wait-for-line.ts'

export const BIN = fileURLToPath(new URL('../../bin/forcegate.js', import.meta.url))

/**
 * The environment that makes forcegate stop when this test process goes away (see
 * bin/node-handover.js): a test run ended by a signal ends test files before their after()
 * hooks could stop what they started.
 */
export function stopWithTestEnv(): NodeJS.ProcessEnv {
  // Built per spawn: tests set variables (an env file's secrets) after this module loads.
  return { ...process.env, FORCEGATE_STOP_WITH_PARENT: String(process.pid) }
}

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the real `forcegate` command to completion (for commands that exit by themselves). */
export function runCli(args: readonly string[], timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: stopWithTestEnv(),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`forcegate ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stderr}`))
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export interface ServingCli {
  readonly url: string
  readonly child: ChildProcess
  output(): string
  /** Waits for a line of the gateway's output (its logs) matching `pattern`. */
  waitForLine(pattern: RegExp, deadlineMs?: number): Promise<RegExpExecArray>
  stop(): Promise<number | null>
}

/** Starts `forcegate serve …` and resolves once it prints the URL it listens on. */
export async function serveCli(args: readonly string[], timeoutMs = 20_000): Promise<ServingCli> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: stopWithTestEnv(),
  })
  const output = watchOutput(child, 'forcegate serve')
  let url: string
  try {
    url = (await output.waitForLine(/ on (http:\/\/[\d.]+:\d+)/, timeoutMs))[1]!
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return {
    url,
    child,
    output: output.text,
    waitForLine: output.waitForLine,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode)
        child.once('exit', (code) => done(code))
        child.kill('SIGTERM')
      }),
  }
}
