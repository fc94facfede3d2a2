import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './free-port.ts'
import { findPostgresBin, REQUIRE_SERVICES_ENV } from './store-services.ts'
import { type ProcessOutput, watchOutput } from './wait-for-line.ts'

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` account. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid }
}

/**
 * A real PostgreSQL server on a loopback port with a fresh cluster in a temporary folder
 * (trust authentication, no fsync). It can be frozen and thawed, stopped and restarted on the
 * same port with its data kept.
 */
export class PostgresServer {
  readonly port: number
  readonly #root: string
  readonly #data: string
  readonly #bin: string
  readonly #account: { uid: number; gid: number } | undefined
  #child: ChildProcess | undefined
  #output: ProcessOutput | undefined
  #databases = 0

  private constructor(bin: string, port: number, root: string) {
    this.#bin = bin
    this.port = port
    this.#root = root
    this.#data = join(root, 'data')
    this.#account = serverAccount()
  }

  static async start(): Promise<PostgresServer> {
    const bin = findPostgresBin()
    if (bin === undefined) throw new Error(`no PostgreSQL server found, and ${REQUIRE_SERVICES_ENV} is set`)
    const server = new PostgresServer(bin, await freePort(), mkdtempSync(join(tmpdir(), 'forcegate-pg-')))
    mkdirSync(server.#data, { mode: 0o700 })
    if (server.#account !== undefined) {
      chownSync(server.#root, server.#account.uid, server.#account.gid)
      chownSync(server.#data, server.#account.uid, server.#account.gid)
    }
    execFileSync(
      join(bin, 'initdb'),
      ['-D', server.#data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
      { stdio: 'pipe', cwd: server.#root, ...(server.#account ?? {}) },
    )
    await server.restart()
    return server
  }

  /** A URL for the cluster's `postgres` database, or for `database`. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  /** A fresh empty database, so tests sharing one server never see each other's rows. */
  async createDatabase(): Promise<string> {
    const name = `forcegate_${process.pid}_${++this.#databases}`
    const client = new pg.Client({ connectionString: this.url() })
    await client.connect()
    try {
      await client.query(`CREATE DATABASE ${name}`)
    } finally {
      await client.end()
    }
    return this.url(name)
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
  }

  /** Starts (again) on the same port with the same data; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('postgres is already running')
    const child = spawn(
      join(this.#bin, 'postgres'),
      [
        '-D',
        this.#data,
        '-p',
        String(this.port),
        '-k',
        this.#root,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=60',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.#root, ...(this.#account ?? {}) },
    )
    this.#child = child
    this.#output = watchOutput(child, 'postgres')
    await this.#output.waitForLine(/database system is ready to accept connections/, 30_000)
  }

  /** Fast shutdown (SIGINT: clients are disconnected), waiting for the exit. */
  async stop(): Promise<void> {
    const child = this.#child
    if (child === undefined || !this.running) return
    this.thaw()
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    await exited
  }

  freeze(): void {
    this.#child?.kill('SIGSTOP')
  }

  thaw(): void {
    this.#child?.kill('SIGCONT')
  }

  /**
   * SIGSTOP to the server and every backend it forked: connections already open stop answering
   * too (freeze() stops the postmaster alone, which only holds back new connections).
   */
  freezeAll(): void {
    for (const pid of this.#processes()) process.kill(pid, 'SIGSTOP')
  }

  thawAll(): void {
    for (const pid of this.#processes()) process.kill(pid, 'SIGCONT')
  }

  #processes(): number[] {
    const pid = this.#child?.pid
    if (pid === undefined || !this.running) return []
    let children: number[] = []
    try {
      const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
      children = text === '' ? [] : text.split(/\s+/).map(Number)
    } catch {
      // Not Linux: the postmaster alone.
    }
    return [pid, ...children]
  }

  async close(): Promise<void> {
    await this.stop()
    rmSync(this.#root, { recursive: true, force: true })
  }
}
