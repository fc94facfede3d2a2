import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'
import { findRedisServer, REQUIRE_SERVICES_ENV } from './store-services.ts'
import { type ProcessOutput, watchOutput } from './wait-for-line.ts'

/**
 * A real redis-server on a loopback port, in a temporary folder, without persistence. It can
 * be stopped, frozen (SIGSTOP) and thawed, and restarted on the same port, for fault tests.
 */
export class RedisServer {
  readonly port: number
  readonly #dir: string
  readonly #bin: string
  #child: ChildProcess | undefined
  #output: ProcessOutput | undefined

  private constructor(bin: string, port: number, dir: string) {
    this.#bin = bin
    this.port = port
    this.#dir = dir
  }

  static async start(): Promise<RedisServer> {
    const bin = findRedisServer()
    if (bin === undefined) throw new Error(`no redis-server found, and ${REQUIRE_SERVICES_ENV} is set`)
    const server = new RedisServer(bin, await freePort(), mkdtempSync(join(tmpdir(), 'forcegate-redis-')))
    await server.restart()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
  }

  /** Starts (again) on the same port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('redis-server is already running')
    const child = spawn(
      this.#bin,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.#dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    this.#child = child
    this.#output = watchOutput(child, 'redis-server')
    await this.#output.waitForLine(/Ready to accept connections/)
  }

  /** SIGTERM, waiting for the exit. */
  async stop(): Promise<void> {
    const child = this.#child
    if (child === undefined || !this.running) return
    this.thaw()
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  /** SIGSTOP: the port still accepts connections, but nothing is answered. */
  freeze(): void {
    this.#child?.kill('SIGSTOP')
  }

  thaw(): void {
    this.#child?.kill('SIGCONT')
  }

  /** Runs one command over a raw connection (inline protocol), for test set-up and checks. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1')
      let reply = ''
      socket.setTimeout(2000, () => socket.destroy(new Error('redis command timed out')))
      socket.on('error', reject)
      socket.on('data', (chunk) => {
        reply += chunk.toString()
        if (reply.endsWith('\r\n')) {
          socket.end()
          resolve(reply.trimEnd())
        }
      })
      socket.write(`${line}\r\n`)
    })
  }

  async close(): Promise<void> {
    await this.stop()
    rmSync(this.#dir, { recursive: true, force: true })
  }
}
