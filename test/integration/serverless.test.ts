import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ConfigErrors } from '../../src/errors/config-error.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { serveCli } from '../helpers/cli-process.ts'

const FIXTURES = 'test/fixtures/serverless'

async function serve(folder: string, warnings: string[] = []): Promise<Gateway> {
  const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) })
  return startGateway({
    apiFile: `${FIXTURES}/${folder}/serverless.yml`,
    apiFormat: 'serverless',
    port: 0,
    logger,
  })
}

const json = async (res: Response): Promise<Record<string, unknown>> =>
  JSON.parse(await res.text()) as Record<string, unknown>

describe('a serverless.yml with http events is served as the REST API it deploys', () => {
  let gateway: Gateway
  const warnings: string[] = []
  before(async () => {
    gateway = await serve('rest', warnings)
  })
  after(() => gateway.close())

  test('what the gateway does not honour is named at start-up with its line: plugins, other events', () => {
    const text = warnings.join('')
    assert.match(text, /serverless\.yml:6: \/plugins\/1: plugin serverless-esbuild is not run/)
    assert.match(text, /\/functions\/nightly\/events\/0\/schedule: 'schedule' events are not triggered/)
    assert.doesNotMatch(text, /serverless-offline is not run/)
    assert.match(text, /\/functions\/files\/url: function URLs are not served/)
  })

  test('a TypeScript handler named file.export answers with the stage, resource and authorizer context', async () => {
    const res = await fetch(`${gateway.url}/orders/42`, { headers: { authorization: 'Bearer allow' } })
    assert.equal(res.status, 200)
    const body = await json(res)
    assert.equal(body.id, '42')
    assert.equal(body.stage, 'dev', "provider.stage's fallback when no --stage is given")
    assert.equal(body.resourcePath, '/orders/{id}')
    const authorizer = body.authorizer as Record<string, unknown>
    assert.equal(authorizer.principalId, 'user-1')
    assert.equal(authorizer.tier, 'gold')
  })

  test("the function-named TOKEN authorizer: no token is 401 before it runs, its Deny is AWS's 403, its throw 401", async () => {
    const none = await fetch(`${gateway.url}/orders/42`)
    assert.equal(none.status, 401)
    assert.deepEqual(await json(none), { message: 'Unauthorized' })
    const denied = await fetch(`${gateway.url}/orders/42`, { headers: { authorization: 'Bearer deny' } })
    assert.equal(denied.status, 403)
    assert.deepEqual(await json(denied), {
      Message: 'User is not authorized to access this resource with an explicit deny',
    })
    const wrong = await fetch(`${gateway.url}/orders/42`, { headers: { authorization: 'Bearer nope' } })
    assert.equal(wrong.status, 401)
  })

  test('provider environment with self, sls:stage, nested and env variables (and a fallback) reaches the handler', async () => {
    const res = await fetch(`${gateway.url}/orders`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), {
      greeting: 'hello from dev',
      table: 'orders-dev',
      tableName: 'orders-table-dev',
      fromEnv: 'unset',
    })
  })

  test('method: any on a greedy path is one ANY route; the ESM handler gets the deployed function name', async () => {
    const res = await fetch(`${gateway.url}/files/a/b.txt`, { method: 'POST', body: 'x' })
    assert.equal(res.status, 200)
    const body = await json(res)
    assert.equal(body.method, 'POST')
    assert.equal(body.resource, '/files/{proxy+}')
    assert.deepEqual(body.pathParameters, { proxy: 'a/b.txt' })
    assert.equal(body.functionName, 'orders-dev-files', 'service-stage-function, as the framework names it')
    assert.equal(body.isBase64Encoded, false)
    const png = await fetch(`${gateway.url}/files/logo.png`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array([0x89, 0x50]),
    })
    assert.equal((await json(png)).isBase64Encoded, true, 'provider.apiGateway.binaryMediaTypes')
  })

  test('authorizer: by name alone caches its decision 300 s by the token; request.schemas validates the body first', async () => {
    const post = (body: string) =>
      fetch(`${gateway.url}/orders`, {
        method: 'POST',
        headers: { authorization: 'Bearer allow', 'content-type': 'application/json' },
        body,
      })
    const first = await post('{"sku":"a-1"}')
    assert.equal(first.status, 200)
    const second = await post('{"sku":"b-2"}')
    const calls = ((await json(first)).authorizer as { calls: string }).calls
    assert.equal(
      ((await json(second)).authorizer as { calls: string }).calls,
      calls,
      'the cached decision: one authorizer call',
    )
    const invalid = await post('{}')
    assert.equal(invalid.status, 400)
    assert.deepEqual(await json(invalid), { message: 'Invalid request body' })
  })

  test('cors on http events: the OPTIONS mock the framework deploys answers the preflight, with the defaults or the given ones', async () => {
    const preflight = (path: string) =>
      fetch(`${gateway.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET' },
      })
    const files = await preflight('/files/a.txt')
    assert.equal(files.status, 200)
    assert.equal(files.headers.get('access-control-allow-origin'), '*')
    assert.equal(files.headers.get('access-control-allow-methods'), 'OPTIONS,DELETE,GET,HEAD,PATCH,POST,PUT')
    assert.equal(
      files.headers.get('access-control-allow-headers'),
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id',
    )
    const search = await preflight('/search')
    assert.equal(search.status, 200, 'the mock answers before the required q is looked at')
    assert.equal(search.headers.get('access-control-allow-origin'), 'https://shop.example.com')
    assert.equal(search.headers.get('access-control-allow-methods'), 'OPTIONS,GET')
    assert.equal(search.headers.get('access-control-allow-credentials'), 'true')
  })

  test('request.parameters marks q required: without it API Gateway answers 400 before the function', async () => {
    const missing = await fetch(`${gateway.url}/search`)
    assert.equal(missing.status, 400)
    assert.deepEqual(await json(missing), { message: 'Missing required request parameters: [q]' })
    const given = await fetch(`${gateway.url}/search?q=shoes`)
    assert.equal(given.status, 200)
    assert.deepEqual((await json(given)).query, { q: 'shoes' })
  })

  test("an unknown path is REST's 403 Missing Authentication Token (serverless-offline answers 404)", async () => {
    const res = await fetch(`${gateway.url}/nowhere`)
    assert.equal(res.status, 403)
    assert.deepEqual(await json(res), { message: 'Missing Authentication Token' })
  })
})

test('forcegate serve --serverless --stage prod: the opt:stage and sls:stage variables take the flag', async () => {
  const cli = await serveCli(['--serverless', `${FIXTURES}/rest/serverless.yml`, '--stage', 'prod'])
  try {
    const res = await fetch(`${cli.url}/orders`)
    assert.deepEqual(await json(res), {
      greeting: 'hello from prod',
      table: 'orders-prod',
      tableName: 'orders-table-prod',
      fromEnv: 'unset',
    })
    const order = await fetch(`${cli.url}/orders/1`, { headers: { authorization: 'Bearer allow' } })
    assert.equal((await json(order)).stage, 'prod')
  } finally {
    await cli.stop()
  }
})

describe('a serverless.yml with httpApi events is served as the HTTP API it deploys', () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('http-api')
  })
  after(() => gateway.close())

  test("'GET /items/{id}' is a payload 2.0 route on the $default stage", async () => {
    const res = await fetch(`${gateway.url}/items/7`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), {
      version: '2.0',
      routeKey: 'GET /items/{id}',
      stage: '$default',
      pathParameters: { id: '7' },
      authorizer: null,
    })
  })

  test('the request authorizer of provider.httpApi.authorizers: missing source 401, isAuthorized false 403, true passes its context', async () => {
    const none = await fetch(`${gateway.url}/items`, { method: 'POST' })
    assert.equal(none.status, 401)
    assert.deepEqual(await json(none), { message: 'Unauthorized' })
    const bad = await fetch(`${gateway.url}/items`, { method: 'POST', headers: { 'x-api-key': 'bad' } })
    assert.equal(bad.status, 403)
    assert.deepEqual(await json(bad), { message: 'Forbidden' })
    const good = await fetch(`${gateway.url}/items`, { method: 'POST', headers: { 'x-api-key': 'good-key' } })
    assert.equal(good.status, 200)
    assert.deepEqual((await json(good)).authorizer, { lambda: { plan: 'basic' } })
  })

  test('a JWT authorizer of provider.httpApi.authorizers guards its route: no or a malformed token is 401', async () => {
    const none = await fetch(`${gateway.url}/items/7`, { method: 'DELETE' })
    assert.equal(none.status, 401)
    assert.deepEqual(await json(none), { message: 'Unauthorized' })
    const malformed = await fetch(`${gateway.url}/items/7`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer not-a-jwt' },
    })
    assert.equal(malformed.status, 401)
  })

  test("httpApi: '*' is the $default route, taking what no other route matches", async () => {
    const res = await fetch(`${gateway.url}/anything/else`)
    assert.equal(res.status, 200)
    assert.equal((await json(res)).routeKey, '$default')
  })

  test("cors: true with a '*' route: as on AWS, the $default route takes preflights; the answer carries the framework's defaults", async () => {
    const res = await fetch(`${gateway.url}/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    })
    assert.equal(res.status, 200)
    assert.equal((await json(res)).routeKey, '$default')
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST')
    assert.equal(
      res.headers.get('access-control-allow-headers'),
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id',
    )
    const actual = await fetch(`${gateway.url}/items/7`, { headers: { origin: 'https://app.example.com' } })
    assert.equal(actual.headers.get('access-control-allow-origin'), '*')
  })
})

test('what cannot be honoured is all reported in one run, each with its file, line and pointer', async () => {
  await assert.rejects(serve('unsupported'), (err: unknown) => {
    assert.ok(err instanceof ConfigErrors, String(err))
    const text = err.message
    assert.match(
      text,
      /serverless\.yml:10: \/provider\/environment\/DATABASE_URL: \$\{ssm:\/legacy\/database-url\} cannot be resolved locally/,
    )
    assert.match(text, /\/functions\/report\/events\/1\/http\/authorizer: IAM authorizers are not supported/)
    assert.match(
      text,
      /\/functions\/report\/events\/4\/http\/authorizer: authorizer 'report' is configured differently at \/functions\/report\/events\/3\/http\/authorizer/,
    )
    assert.match(text, /Lambda function 'legacy-dev-report'.*has no module|report\.ts/)
    return true
  })
})
