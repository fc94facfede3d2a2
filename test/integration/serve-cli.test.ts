import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runCli, type ServingCli, serveCli } from '../helpers/cli-process.ts'
import { lambdaOp, tempApi } from '../helpers/temp-api.ts'

describe('forcegate serve on the order-status example', () => {
  let gw: ServingCli
  before(async () => {
    gw = await serveCli([
      '--api',
      'test/fixtures/order-status-open.yaml',
      '--functions',
      'examples/order-status/functions',
    ])
  })
  after(async () => {
    await gw.stop()
  })

  test('prints the route table with each route pipeline', () => {
    assert.match(gw.output(), /GET \/orders\/\{orderId\}\s+receive → route → integrate\[lambda order-status/)
    assert.match(gw.output(), /GET \/health\s+receive → route → integrate\[mock/)
  })

  test('a Lambda handler answers GET /orders/{orderId}', async () => {
    const res = await fetch(`${gw.url}/orders/1001`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.ok(res.headers.get('x-amzn-requestid'))
    const body = (await res.json()) as { orderId: string; status: string }
    assert.equal(body.orderId, '1001')
    assert.equal(body.status, 'SHIPPED')
  })

  test('an unknown route or method is 403 Missing Authentication Token', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/orders'],
      ['GET', '/orders/1001/extra'],
    ] as const) {
      const res = await fetch(`${gw.url}${path}`, { method })
      assert.equal(res.status, 403, `${method} ${path}`)
      assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException')
      assert.deepEqual(await res.json(), { message: 'Missing Authentication Token' })
    }
  })

  test('the mock integration answers from its template, with the stage name', async () => {
    const res = await fetch(`${gw.url}/health`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { status: 'ok', stage: 'dev' })
  })

  test('writes one JSON access-log line per request', async () => {
    await fetch(`${gw.url}/orders/1002`)
    await gw.waitForLine(/^\{.*"path":"\/orders\/1002"/)
    const line = gw
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.path === '/orders/1002')
    assert.ok(line, 'access log line for /orders/1002')
    assert.equal(line.status, 200)
    assert.equal(line.routeKey, 'GET /orders/{orderId}')
    assert.equal(typeof line.requestId, 'string')
    assert.equal(typeof line.latencyMs, 'number')
    assert.equal(typeof line.integrationLatencyMs, 'number')
  })
})

describe('forcegate command line', () => {
  test('--help and --version', async () => {
    const help = await runCli(['--help'])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /forcegate serve --api/)
    const version = await runCli(['--version'])
    assert.equal(version.code, 0)
    assert.match(version.stdout, /^forcegate \d+\.\d+\.\d+/)
  })

  test('an unknown command or flag, or no --api, exits 2 with usage', async () => {
    const unknown = await runCli(['frobnicate'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /unknown command 'frobnicate'/)
    const noApi = await runCli(['serve'])
    assert.equal(noApi.code, 2)
    assert.match(noApi.stderr, /serve needs --api/)
    const badFlag = await runCli(['serve', '--api', 'x.yaml', '--bogus'])
    assert.equal(badFlag.code, 2)
    assert.match(badFlag.stderr, /--bogus/)
    const badPort = await runCli(['serve', '--api', 'x.yaml', '--port', 'eighty'])
    assert.equal(badPort.code, 2)
    assert.match(badPort.stderr, /--port expects an integer/)
  })

  test('a missing API file names the file', async () => {
    const run = await runCli(['serve', '--api', 'does-not-exist.yaml'])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /does-not-exist\.yaml: file not found/)
  })

  test('a bad field names the file, the JSON pointer and what was expected', async () => {
    const api = await tempApi({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/orders': { get: { 'x-amazon-apigateway-integration': { type: 'lambda', uri: 'x' } } },
        '/items/{id+}/more': { get: lambdaOp('items') },
      },
    })
    try {
      const run = await runCli(['serve', '--api', api.apiFile])
      assert.equal(run.code, 1)
      assert.ok(run.stderr.includes(api.apiFile), run.stderr)
      assert.match(
        run.stderr,
        /\/paths\/~1orders\/get\/x-amazon-apigateway-integration\/type: expected aws, aws_proxy, http, http_proxy or mock, found 'lambda'/,
      )
      assert.match(
        run.stderr,
        /\/paths\/~1items~1\{id\+\}~1more: expected the greedy variable \{id\+\} to be the last segment/,
      )
    } finally {
      await api.remove()
    }
  })

  test('a YAML syntax error names the line', async () => {
    const api = await tempApi('openapi: 3.0.3\npaths:\n  /a:\n    get: [unclosed\n')
    try {
      const run = await runCli(['serve', '--api', api.apiFile])
      assert.equal(run.code, 1)
      assert.match(run.stderr, /openapi\.json:\d+: not valid YAML or JSON/)
    } finally {
      await api.remove()
    }
  })

  test('a missing function module names the function and the folders searched', async () => {
    const api = await tempApi({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: lambdaOp('ghost-fn') } },
    })
    try {
      const run = await runCli(['serve', '--api', api.apiFile])
      assert.equal(run.code, 1)
      assert.match(
        run.stderr,
        /Lambda function 'ghost-fn' has no module: looked for ghost-fn\.ts, ghost-fn\.mjs, ghost-fn\.js, ghost-fn\.cjs in /,
      )
      assert.ok(run.stderr.includes(api.functionsDir), run.stderr)
    } finally {
      await api.remove()
    }
  })

  test('a module without a handler export is refused at start-up', async () => {
    const api = await tempApi(
      {
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: { '/a': { get: lambdaOp('nohandler') } },
      },
      { 'nohandler.mjs': 'export const notHandler = () => 1\n' },
    )
    try {
      const run = await runCli(['serve', '--api', api.apiFile])
      assert.equal(run.code, 1)
      assert.match(run.stderr, /'nohandler': .*nohandler\.mjs does not export a function named 'handler'/)
    } finally {
      await api.remove()
    }
  })

  test('a bad forcegate.yaml setting names its pointer', async () => {
    const api = await tempApi({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} })
    try {
      const config = await api.file(
        'forcegate.yaml',
        'server:\n  port: 8080\n  maxBodyBytes: lots\n  colour: blue\n',
      )
      const run = await runCli(['serve', '--api', api.apiFile, '--config', config])
      assert.equal(run.code, 1)
      assert.match(
        run.stderr,
        /forcegate\.yaml:3: \/server\/maxBodyBytes: expected an integer, found the string "lots"/,
      )
      assert.match(run.stderr, /forcegate\.yaml:\d: \/server\/colour: is not a known setting/)
    } finally {
      await api.remove()
    }
  })
})

test('a handler error raised outside the request does not take the gateway down', async () => {
  const api = await tempApi(
    { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/stray': { get: lambdaOp('stray') } } },
    {
      'stray.mjs':
        "export const handler = async () => { setTimeout(() => { throw new Error('stray') }, 1); Promise.reject(new Error('unawaited')); return { statusCode: 200, body: 'ok' } }\n",
    },
  )
  const gw = await serveCli(['--api', api.apiFile])
  try {
    assert.equal((await fetch(`${gw.url}/stray`)).status, 200)
    await gw.waitForLine(/uncaughtException outside any request \(kept serving\): Error: stray/)
    await gw.waitForLine(/unhandledRejection outside any request/)
    assert.equal((await fetch(`${gw.url}/stray`)).status, 200)
  } finally {
    await gw.stop()
    await api.remove()
  }
})
