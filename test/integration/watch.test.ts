import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { type ServingCli, serveCli } from '../helpers/cli-process.ts'
import { lambdaOp, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const hello = (version: string) =>
  `export const handler = async () => ({ statusCode: 200, body: '${version}' })\n`

/** A handler that answers only once the test opens its gate: a request held in flight. */
const held = (gate: string) => `export const handler = async () => {
  const res = await fetch('${gate}')
  return { statusCode: 200, body: 'held ' + (await res.text()) }
}\n`

const commonJs = (version: string) =>
  `exports.handler = async () => ({ statusCode: 200, body: 'cjs ${version}' })\n`

const definition = (extra: Record<string, unknown> = {}) =>
  openapi({
    '/hello': { get: lambdaOp('hello') },
    '/held': { get: lambdaOp('held') },
    '/cjs': { get: lambdaOp('legacy') },
    ...extra,
  })

let api: TempApi
let cli: ServingCli
let requests: ReturnType<typeof flow> | undefined
const waiting: ServerResponse[] = []
const gate = createServer((_req, res) => waiting.push(res))

before(async () => {
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
  const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`
  api = await tempApi(definition(), {
    'hello.mjs': hello('v1'),
    'held.mjs': held(gateUrl),
    'legacy.cjs': commonJs('v1'),
  })
  cli = await serveCli(['--api', api.apiFile, '--watch'])
  await cli.waitForLine(/watching .* for changes/)
})

after(async () => {
  // A failed assertion must not leave the request loop running.
  await requests?.stop()
  await cli.stop()
  for (const res of waiting) res.end('late')
  gate.close()
  await api.remove()
})

async function text(path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${cli.url}${path}`)
  return { status: res.status, body: await res.text() }
}

/** Requests /hello back to back until stopped; every answer is kept. */
function flow() {
  const answers: { status: number; body: string }[] = []
  let running = true
  const done = (async () => {
    while (running)
      answers.push(await text('/hello').catch((err: Error) => ({ status: 0, body: err.message })))
  })()
  return {
    answers,
    async stop() {
      running = false
      await done
    },
  }
}

/** Reloads are announced per burst of changes: wait for the n-th announcement of a kind. */
async function nth(pattern: RegExp, n: number): Promise<void> {
  for (;;) {
    const count = cli
      .output()
      .split('\n')
      .filter((l) => pattern.test(l)).length
    if (count >= n) return
    await cli.waitForLine(pattern)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

test('--watch reloads handlers and the definition while requests flow, and keeps the last good version', async () => {
  requests = flow()
  assert.deepEqual(await text('/hello'), { status: 200, body: 'v1' })

  // A request in flight on the first version, held until after the reloads.
  const inFlight = text('/held')
  while (waiting.length === 0) await new Promise((resolve) => setImmediate(resolve))

  // A handler edit: the next request sees it.
  await api.file('functions/hello.mjs', hello('v2'))
  await nth(/^reloaded after changes to .*hello\.mjs/, 1)
  assert.deepEqual(await text('/hello'), { status: 200, body: 'v2' })

  // CommonJS handlers are cached by file name: they reload too.
  assert.deepEqual(await text('/cjs'), { status: 200, body: 'cjs v1' })
  await api.file('functions/legacy.cjs', commonJs('v2'))
  await nth(/^reloaded after changes to .*legacy\.cjs/, 1)
  assert.deepEqual(await text('/cjs'), { status: 200, body: 'cjs v2' })

  // A definition edit: the new route serves.
  assert.equal((await text('/added')).status, 403)
  await api.file('functions/added.mjs', hello('added'))
  await api.file('openapi.json', JSON.stringify(definition({ '/added': { get: lambdaOp('added') } })))
  await nth(/^reloaded after changes to .*openapi\.json/, 1)
  assert.deepEqual(await text('/added'), { status: 200, body: 'added' })

  // A handler that no longer loads: refused, the previous one keeps serving.
  await api.file('functions/hello.mjs', 'export const handler = async () => {\n')
  await nth(/^reload refused, still serving the last good version: .*hello\.mjs/, 1)
  assert.deepEqual(await text('/hello'), { status: 200, body: 'v2' })

  // A definition that no longer parses: refused and named, the last good one keeps serving.
  await api.file('functions/hello.mjs', hello('v3'))
  await nth(/^reloaded after changes to .*hello\.mjs/, 2)
  await api.file('openapi.json', '{ "openapi": "3.0.3", ')
  await nth(/^reload refused, still serving the last good version: .*openapi\.json/, 1)
  assert.deepEqual(await text('/hello'), { status: 200, body: 'v3' })
  assert.deepEqual(await text('/added'), { status: 200, body: 'added' })

  // The request held through every reload finishes on the version it started with.
  for (const res of waiting.splice(0)) res.end('open')
  assert.deepEqual(await inFlight, { status: 200, body: 'held open' })

  await requests.stop()
  const failed = requests.answers.filter((a) => a.status !== 200 || !/^v[123]$/.test(a.body))
  assert.deepEqual(failed, [])
  assert.ok(requests.answers.length > 0)
})
