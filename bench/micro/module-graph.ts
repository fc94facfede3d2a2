/**
 * What a passthrough-only gateway holds at idle: starts `forcegate serve` the way the bench's
 * `fg-passthrough` does (one http_proxy route, log level warn, access log off), waits until it
 * listens, then asks the process (a preload counting every module the loader loads) for its
 * module count, heap used after a full GC, heap total, external memory and RSS. Every major
 * collection marks what is loaded, so this is the floor each mark-compact pays for.
 *
 *   node bench/micro/module-graph.ts [runs=3]
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'

const runs = Number(process.argv[2] ?? 3)
const repo = new URL('../..', import.meta.url).pathname

// Counts loads from the first import on; on SIGUSR2 collects garbage and writes the figures.
const PRELOAD = `
import { registerHooks } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
const urls = new Set()
registerHooks({ load(url, context, next) { urls.add(url); return next(url, context) } })
process.on('SIGUSR2', () => {
  globalThis.gc()
  const m = process.memoryUsage()
  const status = readFileSync('/proc/self/status', 'utf8')
  const kb = (name) => Number(new RegExp(name + ':\\\\s+(\\\\d+)').exec(status)?.[1] ?? 0)
  const packages = {}
  for (const u of urls) {
    const p = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(u)?.[1]
    if (p !== undefined) packages[p] = (packages[p] ?? 0) + 1
  }
  writeFileSync(process.env.MODULE_GRAPH_OUT, JSON.stringify({
    modules: urls.size, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external,
    rss: kb('VmRSS') * 1024, anon: kb('RssAnon') * 1024, packages,
  }))
})
`

interface Figures {
  modules: number
  heapUsed: number
  heapTotal: number
  external: number
  rss: number
  anon: number
  packages: Record<string, number>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function listening(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => resolve(socket.destroy() !== undefined))
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`gateway did not listen on ${port}`)
}

async function measure(dir: string): Promise<Figures> {
  const api = join(dir, 'openapi.yaml')
  const config = join(dir, 'forcegate.yaml')
  const out = join(dir, 'figures.json')
  rmSync(out, { force: true })
  writeFileSync(
    api,
    stringify({
      openapi: '3.0.1',
      info: { title: 'passthrough', version: '1' },
      paths: {
        '/api/{proxy+}': {
          'x-amazon-apigateway-any-method': {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'ANY',
              uri: 'http://127.0.0.1:9/{proxy}',
              payloadFormatVersion: '1.0',
            },
          },
        },
      },
    }),
  )
  writeFileSync(config, stringify({ log: { level: 'warn', access: false } }))
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      `data:text/javascript,${encodeURIComponent(PRELOAD)}`,
      join(repo, 'bin', 'forcegate.js'),
      'serve',
      '--api',
      api,
      '--config',
      config,
      '--port',
      String(port),
    ],
    { cwd: repo, env: { ...process.env, MODULE_GRAPH_OUT: out }, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  try {
    await listening(port, Date.now() + 30_000)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    child.kill('SIGUSR2')
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      try {
        return JSON.parse(readFileSync(out, 'utf8')) as Figures
      } catch {
        // not written yet
      }
    }
    throw new Error('the gateway wrote no figures')
  } finally {
    child.kill('SIGTERM')
  }
}

const mb = (n: number): string => (n / 1024 / 1024).toFixed(1)
const dir = mkdtempSync(join(tmpdir(), 'module-graph-'))
try {
  let last: Figures | undefined
  for (let i = 0; i < runs; i++) {
    last = await measure(dir)
    console.log(
      `modules ${last.modules}  heap used after GC ${mb(last.heapUsed)} MB  heap total ${mb(last.heapTotal)} MB  ` +
        `external ${mb(last.external)} MB  RSS ${mb(last.rss)} MB (anon ${mb(last.anon)} MB)`,
    )
  }
  if (last !== undefined) {
    const top = Object.entries(last.packages).sort((a, b) => b[1] - a[1])
    console.log(`packages: ${top.map(([p, n]) => `${p} ${n}`).join(', ')}`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
