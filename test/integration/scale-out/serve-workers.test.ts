import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import http from 'node:http'
import { after, before, describe, it } from 'node:test'
import { BIN, runCli, stopWithTestEnv } from '../../helpers/cli-process.ts'
import { lambdaOp, type TempApi, tempApi } from '../../helpers/temp-api.ts'
import { openapi } from '../../helpers/test-gateway.ts'
import { type ProcessOutput, watchOutput } from '../../helpers/wait-for-line.ts'

const PID_HANDLER = `export const handler = async (event) => {
  const wait = Number(event.queryStringParameters?.wait ?? 0)
  if (wait > 0) console.log('slow request started')
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  return { statusCode: 200, body: String(process.pid) }
}
`

/** A fresh connection per request, so that the cluster spreads them over the workers. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)))
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('forcegate serve --workers', { timeout: 90_000 }, () => {
  let api: TempApi
  let child: ReturnType<typeof spawn>
  let output: ProcessOutput
  let url: string
  const workerPids = new Set<number>()

  before(async () => {
    api = await tempApi(openapi({ '/pid': { get: lambdaOp('pid') } }), { 'pid.mjs': PID_HANDLER })
    child = spawn(process.execPath, [BIN, 'serve', '--api', api.apiFile, '--port', '0', '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: stopWithTestEnv(),
    })
    output = watchOutput(child, 'forcegate serve --workers 2')
    url = (await output.waitForLine(/ on (http:\/\/[\d.]+:\d+)/))[1]!
    for (const slot of [1, 2]) {
      const match = await output.waitForLine(new RegExp(`worker ${slot} started \\(pid (\\d+)\\)`))
      workerPids.add(Number(match[1]))
    }
  })
  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    for (const pid of workerPids) if (alive(pid)) process.kill(pid, 'SIGKILL')
    await api?.remove()
  })

  /** Requests until `want` distinct workers answered; every answer must be a 200. */
  async function answeringWorkers(want: number, limit = 200): Promise<Set<number>> {
    const seen = new Set<number>()
    for (let i = 0; i < limit && seen.size < want; i++) {
      const { status, body } = await get(`${url}/pid`)
      assert.equal(status, 200, body)
      seen.add(Number(body))
    }
    return seen
  }

  it('spreads requests over two worker processes sharing one port', async () => {
    // Both listen only once the second has compiled its routes too.
    await output.waitForLine(/worker 2 started/)
    const seen = await answeringWorkers(2)
    assert.equal(seen.size, 2)
    for (const pid of seen) assert.ok(workerPids.has(pid), `${pid} is a worker`)
    assert.ok(!seen.has(child.pid!), 'the primary serves nothing itself')
  })

  it('replaces a killed worker while requests keep being answered', async () => {
    const [victim] = [...workerPids]
    process.kill(victim!, 'SIGKILL')
    await output.waitForLine(new RegExp(`\\(pid ${victim}\\) exited with SIGKILL; starting another`))
    // While the replacement starts, the other worker answers everything.
    assert.deepEqual(
      [...(await answeringWorkers(1, 20))].filter((pid) => pid === victim),
      [],
    )
    const known = [...workerPids].join('|')
    const fresh = Number(
      (await output.waitForLine(new RegExp(`started \\(pid (?!(?:${known})\\))(\\d+)\\)`)))[1],
    )
    workerPids.add(fresh)
    // Every request is answered while the replacement starts, and it serves once it listens.
    const seen = new Set<number>()
    const deadline = performance.now() + 30_000
    while (!seen.has(fresh) && performance.now() < deadline)
      for (const pid of await answeringWorkers(2, 50)) seen.add(pid)
    assert.ok(!seen.has(victim!))
    assert.ok(seen.has(fresh), 'the replacement serves')
  })

  it('drains on SIGTERM: a request in flight is answered, then every process exits', async () => {
    const slow = get(`${url}/pid?wait=700`)
    // The stop comes once the slow request is inside a worker's handler.
    await output.waitForLine(/slow request started/)
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    const answer = await slow
    assert.equal(answer.status, 200)
    assert.equal(await exited, 0, output.text())
    for (const pid of workerPids) assert.equal(alive(pid), false, `worker ${pid} is gone`)
  })

  it('stops with exit 1 when workers cannot start, instead of replacing them forever', async () => {
    const broken = await tempApi('openapi: [not an api', {})
    try {
      const run = await runCli(['serve', '--api', broken.apiFile, '--port', '0', '--workers', '2'], 60_000)
      assert.equal(run.code, 1, run.stderr)
      assert.match(run.stderr, /before listening; stopping/)
      assert.doesNotMatch(run.stderr, /starting another/)
    } finally {
      await broken.remove()
    }
  })
})
