import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { BIN } from '../helpers/cli-process.ts'
import { lambdaOp, tempApi } from '../helpers/temp-api.ts'
import { watchOutput } from '../helpers/wait-for-line.ts'

const HANDLER = `console.log('module loaded')
export const handler = async (event, context) => {
  console.log('handling %s', event.path, { orderId: 42 })
  console.error('something odd')
  await new Promise((resolve) => setTimeout(resolve, 1))
  console.warn('after an await, id %s', context.awsRequestId)
  return { statusCode: 200, body: 'ok' }
}
`

test('handler console output leaves stdout one JSON object per line, tagged with the request', async () => {
  const api = await tempApi(
    { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/talk': { get: lambdaOp('talker') } } },
    { 'talker.mjs': HANDLER },
  )
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--api', api.apiFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = watchOutput(child, 'forcegate serve')
  try {
    const url = (await output.waitForLine(/ on (http:\/\/[\d.]+:\d+)/))[1]!
    const res = await fetch(`${url}/talk`)
    assert.equal(res.status, 200)
    await output.waitForLine(/"path":"\/talk".*"status":200/)
    const lines = output
      .stdout()
      .split('\n')
      .filter((l) => l !== '')
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>
      } catch {
        return assert.fail(`a stdout line is not JSON: ${line}`)
      }
    })
    const access = parsed.find((l) => l.path === '/talk' && l.status === 200)
    assert.ok(access, 'the access-log line')
    const loaded = parsed.find((l) => l.msg === 'module loaded')
    assert.equal(loaded?.source, 'console', 'console output outside an invocation stays structured')
    const handling = parsed.find((l) => typeof l.msg === 'string' && l.msg.startsWith('handling /talk'))
    assert.ok(handling, 'the handler line')
    assert.equal(handling.msg, 'handling /talk { orderId: 42 }')
    assert.equal(handling.requestId, access.requestId)
    assert.equal(handling.functionName, 'talker')
    assert.equal(handling.source, 'function')
    assert.equal(handling.level, 30)
    assert.match(String(handling.awsRequestId), /^[0-9a-f-]{36}$/)
    const odd = parsed.find((l) => l.msg === 'something odd')
    assert.equal(odd?.level, 50)
    assert.equal(odd?.requestId, access.requestId)
    // The invocation is followed across awaits and timers.
    const later = parsed.find((l) => typeof l.msg === 'string' && l.msg.startsWith('after an await'))
    assert.equal(later?.level, 40)
    assert.equal(later?.awsRequestId, handling.awsRequestId)
    assert.equal(later?.msg, `after an await, id ${String(handling.awsRequestId)}`)
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('close', resolve))
    await api.remove()
  }
})
