import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join, sep } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BIN } from '../helpers/cli-process.ts'

// Signals sent to the PID a user or supervisor started must end every process of forcegate:
// when the machine's Node is older than 24 that PID is a wrapper around a Node 24 child.

/** The machine's own `node` (not the one npm puts first on PATH), else the one running us. */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.split(sep).includes('node_modules')) continue
    const candidate = join(dir, 'node')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return process.execPath
}

const launchers = [...new Map([machineNode(), process.execPath].map((n) => [realpathSync(n), n])).values()]

function nodeMajor(node: string): number {
  return Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]']).toString())
}

type Proc = { pid: number; ppid: number; start: string; state: string }

function readProc(pid: number): Proc | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // Fields after the parenthesised command name: state, ppid, …; starttime is field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), start: fields[19] ?? '' }
}

/** The process and all its descendants, found through their parent ids. */
function processTree(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p) => p !== undefined)
  const tree = all.filter((p) => p.pid === root)
  for (let i = 0; i < tree.length; i++) {
    tree.push(...all.filter((p) => p.ppid === tree[i]?.pid))
  }
  return tree
}

/** Still running: the same process (same start time) and not a zombie waiting to be reaped. */
function running(p: Proc): boolean {
  const now = readProc(p.pid)
  return now !== undefined && now.start === p.start && now.state !== 'Z'
}

function portRefuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

type Started = { child: ChildProcess; url: string; urls: string[]; output: () => string }

/** Starts `node script args…` and resolves once it has printed every URL `ready` looks for. */
function start(
  node: string,
  args: string[],
  options: { detached?: boolean; env?: NodeJS.ProcessEnv; script?: string; ready?: RegExp } = {},
): Promise<Started> {
  const ready = options.ready ?? / on (http:\/\/127\.0\.0\.1:\d+)/
  const child = spawn(node, [options.script ?? BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
    env: options.env ?? process.env,
  })
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString()
      const urls = ready.exec(out)?.slice(1)
      if (urls?.[0] !== undefined) resolve({ child, url: urls[0], urls: urls as string[], output: () => out })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`exited early with ${code}\n${out}`)))
  })
}

const serveArgs = [
  'serve',
  '--port',
  '0',
  '--api',
  'test/fixtures/order-status-open.yaml',
  '--functions',
  'examples/order-status/functions',
]

/**
 * Sends `signal` with `send`, then waits for the started process to exit and for every process
 * holding its output pipes (the whole tree) to close them. Kills leftovers so a failure never
 * leaves a gateway running.
 */
async function stopAndWatch(
  started: Started,
  send: () => unknown,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; tree: Proc[]; left: Proc[] }> {
  const { child } = started
  const tree = processTree(child.pid ?? -1)
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, signal) => resolve([code, signal])),
  )
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  await send()
  const [code, signal] = await exited
  let timer: NodeJS.Timeout | undefined
  await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))])
  clearTimeout(timer)
  const left = tree.filter(running)
  for (const p of left) process.kill(p.pid, 'SIGKILL')
  return { code, signal, tree, left }
}

for (const node of launchers) {
  const major = nodeMajor(node)
  const how = major < 24 ? `Node ${major} (wrapper around Node 24)` : `Node ${major} (no wrapper)`

  describe(`forcegate serve started by ${how}`, () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      test(`${signal} to the started PID stops the gateway, exits 0 and leaves no process`, async () => {
        const started = await start(node, serveArgs)
        const result = await stopAndWatch(started, () => started.child.kill(signal))
        assert.equal(result.tree.length, major < 24 ? 2 : 1, 'processes before the signal')
        assert.deepEqual(result.left, [], 'processes left running')
        assert.deepEqual([result.code, result.signal], [0, null], started.output())
        assert.equal(await portRefuses(started.url), true, 'the port is closed')
      })
    }

    test('SIGHUP ends it by SIGHUP, as it would end the gateway itself', async () => {
      const started = await start(node, serveArgs)
      const result = await stopAndWatch(started, () => started.child.kill('SIGHUP'))
      assert.deepEqual(result.left, [])
      assert.deepEqual([result.code, result.signal], [null, 'SIGHUP'])
      assert.equal(await portRefuses(started.url), true)
    })

    test('SIGKILL to the started PID still ends every process of the tree', async () => {
      const started = await start(node, serveArgs)
      const result = await stopAndWatch(started, () => started.child.kill('SIGKILL'))
      assert.equal(result.signal, 'SIGKILL')
      assert.deepEqual(result.left, [], 'processes left running')
      assert.equal(await portRefuses(started.url), true)
    })

    test('Ctrl-C at a terminal (SIGINT to the whole process group) stops every process', async () => {
      const started = await start(node, serveArgs, { detached: true })
      const result = await stopAndWatch(started, () => process.kill(-(started.child.pid ?? 0), 'SIGINT'))
      assert.deepEqual(result.left, [])
      // The wrapper's copy of the signal can land as the gateway's Node exits, after it stopped
      // listening: a death by SIGINT then is the same clean stop a shell expects from Ctrl-C.
      assert.ok(
        (result.code === 0 && result.signal === null) || (result.code === null && result.signal === 'SIGINT'),
        `${result.code} ${result.signal}\n${started.output()}`,
      )
      assert.equal(await portRefuses(started.url), true)
    })
  })

  describe(`forcegate devorg started by ${how}`, () => {
    test('SIGTERM to the started PID stops the org, exits 0 and leaves no process', async () => {
      const started = await start(node, ['devorg', '--port', '0', '--pubsub-port', '0'])
      const result = await stopAndWatch(started, () => started.child.kill('SIGTERM'))
      assert.deepEqual(result.left, [])
      assert.deepEqual([result.code, result.signal], [0, null], started.output())
      assert.equal(await portRefuses(started.url), true)
    })
  })
}

describe('npm start (the dev org and the gateway in one process)', () => {
  test('SIGINT to its process group, passed on once more as npm does, closes both and exits 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forcegate-start-'))
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME }
      Object.assign(env, {
        FORCEGATE_HOME: home,
        FORCEGATE_PORT: '0',
        FORCEGATE_DEVORG_PORT: '0',
        FORCEGATE_PUBSUB_PORT: '0',
      })
      const started = await start(process.execPath, [], {
        script: fileURLToPath(new URL('../../bin/start.ts', import.meta.url)),
        env,
        detached: true,
        ready: /Gateway: (http:\/\/127\.0\.0\.1:\d+) +Dev org: (http:\/\/127\.0\.0\.1:\d+)/,
      })
      // A request half sent keeps the gateway draining; the second SIGINT lands in that drain.
      const gateway = new URL(started.urls[0] ?? '')
      const pending = connect(Number(gateway.port), gateway.hostname)
      await new Promise((resolve) => pending.once('connect', resolve))
      pending.write(`GET /health HTTP/1.1\r\nHost: ${gateway.host}\r\n`)
      const answer = new Promise<string>((resolve) => {
        let text = ''
        pending.on('data', (chunk: Buffer) => (text += chunk.toString()))
        pending.once('close', () => resolve(text))
        pending.once('error', () => {})
      })
      const result = await stopAndWatch(started, async () => {
        process.kill(-(started.child.pid ?? 0), 'SIGINT')
        while (!(await portRefuses(gateway.href))) await new Promise((resolve) => setTimeout(resolve, 20))
        started.child.kill('SIGINT')
        pending.end('\r\n')
      })
      assert.match(await answer, /^HTTP\/1\.1 200 /)
      assert.deepEqual(result.left, [])
      assert.deepEqual([result.code, result.signal], [0, null], started.output())
      for (const url of started.urls) assert.equal(await portRefuses(url), true, url)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('a test run stopped by a signal', () => {
  test('SIGTERM to `node --test` ends the gateways its test files started', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/serving-test-file.ts', import.meta.url))
    // Run as a top-level `node --test`, not as a child of the run this file is part of.
    const env = { ...process.env }
    delete env.NODE_TEST_CONTEXT
    const started = await start(process.execPath, ['--test', fixture], {
      script: '--test-reporter=spec',
      env,
    })
    const tree = processTree(started.child.pid ?? -1)
    assert.ok(tree.length >= 3, 'the runner, the test file and its gateway')
    const exited = new Promise((resolve) => started.child.once('exit', resolve))
    started.child.kill('SIGTERM')
    await exited
    // The gateway's pipes lead to the test file's process, not to us: watch /proc instead.
    const deadline = Date.now() + 15_000
    while (tree.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const left = tree.filter(running)
    for (const p of left) process.kill(p.pid, 'SIGKILL')
    assert.deepEqual(left, [], 'processes left running')
    assert.equal(await portRefuses(started.url), true)
  })
})
