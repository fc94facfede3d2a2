import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, serveCli } from '../helpers/cli-process.ts'
import { lambdaOp, lambdaUri, tempApi } from '../helpers/temp-api.ts'

const THROWER = `function lookUp(id) {
  throw new RangeError('order ' + id + ' is not in the table')
}
export const handler = async (event) => lookUp(event.pathParameters.id)
`

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

test('a handler that throws: the log has its type, message and stack at its file, the client a 502', async () => {
  const deadPort = await closedPort()
  const api = await tempApi(
    {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/orders/{id}': { get: lambdaOp('orders') },
        '/legacy': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: `http://127.0.0.1:${deadPort}/legacy`,
            },
          },
        },
      },
    },
    { 'orders.mjs': THROWER },
  )
  const served = await serveCli(['--api', api.apiFile])
  try {
    const res = await fetch(`${served.url}/orders/17`)
    assert.equal(res.status, 502)
    assert.doesNotMatch(await res.text(), /not in the table/, 'the client never sees the cause')
    await served.waitForLine(/"path":"\/orders\/17".*"status":502/)
    const lines = jsonLines(served.output())
    const access = lines.find((l) => l.path === '/orders/17')!
    const invokeError = lines.find((l) => l.msg === 'Invoke Error')
    assert.ok(invokeError, 'an Invoke Error line')
    assert.equal(invokeError.requestId, access.requestId)
    assert.equal(invokeError.functionName, 'orders')
    assert.equal(invokeError.level, 50)
    assert.equal(invokeError.errorType, 'RangeError')
    assert.equal(invokeError.errorMessage, 'order 17 is not in the table')
    const stack = invokeError.stack as string[]
    assert.equal(stack[0], 'RangeError: order 17 is not in the table')
    const file = join(api.functionsDir, 'orders.mjs')
    assert.ok(
      stack.some((frame) => frame.includes(`${file}:2:`) && frame.includes('lookUp')),
      `a frame at the throwing line of the handler's file: ${stack.join('\n')}`,
    )
    assert.equal(access.reason, 'lambda.error')
    assert.match(String(access.upstream), /^lambda orders /)
    assert.match(String(access.detail), /orders failed: RangeError: order 17 is not in the table/)

    const legacy = await fetch(`${served.url}/legacy`)
    assert.equal(legacy.status, 502)
    await legacy.arrayBuffer()
    const logged = await served.waitForLine(/^\{.*"path":"\/legacy".*"status":502.*$/)
    const line = JSON.parse(logged[0]) as Record<string, unknown>
    assert.equal(line.reason, 'upstream.unreachable')
    assert.match(String(line.upstream), new RegExp(`^http GET http://127\\.0\\.0\\.1:${deadPort}/legacy`))
    assert.match(String(line.detail), new RegExp(`127\\.0\\.0\\.1:${deadPort}: .*ECONNREFUSED`))
  } finally {
    await served.stop()
    await api.remove()
  }
})

test('explain names the failure behind a 5xx: the authorizer that threw', async () => {
  const api = await tempApi(
    {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      components: {
        securitySchemes: {
          bearer: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': {
              type: 'token',
              authorizerUri: lambdaUri('auth'),
              authorizerResultTtlInSeconds: 0,
            },
          },
        },
      },
      paths: { '/x': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } } },
    },
    {
      'auth.mjs': `export const handler = async () => { throw new TypeError('no signing key') }\n`,
      'ok.mjs': `export const handler = async () => ({ statusCode: 200, body: 'ok' })\n`,
    },
  )
  try {
    const run = await runCli([
      'explain',
      '--api',
      api.apiFile,
      '--request',
      'GET /x',
      '-H',
      'Authorization: Bearer t',
    ])
    assert.equal(run.code, 0, run.stderr)
    assert.match(
      run.stdout,
      /decision +500 .*authorizer\.threw.*; cause: the authorizer failed \(TypeError\)/,
    )
  } finally {
    await api.remove()
  }
})
