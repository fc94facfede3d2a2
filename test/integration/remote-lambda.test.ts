import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { LocalLambdaInvoker } from '../../src/aws/local-lambda-invoker.ts'
import { RoutingLambdaInvoker } from '../../src/aws/routing-lambda-invoker.ts'
import { readApiDocument } from '../../src/config/openapi/read-api-document.ts'
import { readGatewayFile } from '../../src/config/read-gateway-file.ts'
import { parseSourceText } from '../../src/config/source-document.ts'
import { createHttpServer } from '../../src/http/server.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { createRouteAuthCompiler } from '../../src/pipeline/compile-route-auth.ts'
import { compileRoutes } from '../../src/pipeline/compile-routes.ts'
import { runPipeline } from '../../src/pipeline/run.ts'
import { type FakeLambdaServer, startFakeLambda, TEST_CREDENTIALS } from '../helpers/fake-lambda-server.ts'
import { lambdaOp, lambdaUri, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const functionArn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`

const API = openapi(
  {
    '/orders/{id}': { get: lambdaOp('remote-orders') },
    '/broken': { get: lambdaOp('remote-broken') },
    '/slow': { get: lambdaOp('remote-slow', { timeoutInMillis: 200 }) },
    '/local': { get: lambdaOp('hello') },
    '/secure': { get: { ...lambdaOp('hello'), security: [{ bearer: [] }] } },
  },
  {
    components: {
      securitySchemes: {
        bearer: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: lambdaUri('remote-auth') },
        },
      },
    },
  },
)

/**
 * The gateway's request pipeline over a routing invoker: the API document's functions named
 * `remote-*` run on the Lambda Invoke endpoint, the others from the functions folder.
 */
async function startPipeline(api: TempApi, endpoint: string) {
  const config = readGatewayFile(undefined)
  const local = new LocalLambdaInvoker()
  const invoker = new RoutingLambdaInvoker(
    local,
    { remote: [{ match: 'remote-*', endpoint }] },
    { credentials: TEST_CREDENTIALS },
  )
  const loadFunction = (name: string, arn: string, origin: string) =>
    invoker.load({ name, arn }, [api.functionsDir], origin)
  const doc = parseSourceText(api.apiFile, JSON.stringify(API))
  const table = await compileRoutes(readApiDocument(doc), config, {
    invoker,
    loadFunction,
    compileAuth: createRouteAuthCompiler({
      invoker,
      clock: Date.now,
      loadFunction,
      lineOf: () => undefined,
      salesforceOrgs: new Map(),
      partners: undefined,
    }),
  })
  const log = createLogger('silent')
  const server = createHttpServer(
    config.server,
    (req, res) => runPipeline(req, res, { table, log, accessLog: false, clock: Date.now }),
    () => {},
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await table.close()
      invoker.close()
    },
  }
}

describe('Lambda functions routed to AWS Lambda, end to end over HTTP', () => {
  let fake: FakeLambdaServer
  let api: TempApi
  let gw: { url: string; close(): Promise<void> }
  before(async () => {
    fake = await startFakeLambda({
      [functionArn('remote-orders')]: {
        kind: 'result',
        payload: { statusCode: 201, headers: { 'x-served-by': 'aws' }, body: '{"order":"7"}' },
      },
      [functionArn('remote-broken')]: { kind: 'error', errorType: 'Error', errorMessage: 'boom' },
      [functionArn('remote-slow')]: { kind: 'hang' },
      [functionArn('remote-auth')]: { kind: 'error', errorType: 'Error', errorMessage: 'Unauthorized' },
    })
    // Only `hello` has a module: a remote function must not need one.
    api = await tempApi(API, {
      'hello.mjs': `export const handler = async () => ({ statusCode: 200, body: 'local hello' })\n`,
    })
    gw = await startPipeline(api, fake.endpoint)
  })
  after(async () => {
    await gw.close()
    await fake.close()
    await api.remove()
  })

  test("aws_proxy answers with the remote function's proxy response", async () => {
    const res = await fetch(`${gw.url}/orders/7?view=full`, { headers: { 'x-tenant': 't-9' } })
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('x-served-by'), 'aws')
    assert.equal(await res.text(), '{"order":"7"}')
    const seen = fake.invokes.find((i) => i.functionName === functionArn('remote-orders'))!
    const event = seen.event as Record<string, any>
    assert.equal(event.resource, '/orders/{id}')
    assert.deepEqual(event.pathParameters, { id: '7' })
    assert.equal(event.headers['x-tenant'], 't-9')
  })

  test('a function no rule matches still runs locally', async () => {
    const res = await fetch(`${gw.url}/local`)
    assert.equal(res.status, 200)
    assert.equal(await res.text(), 'local hello')
  })

  test('a remote function error is a 502 on a REST API', async () => {
    const res = await fetch(`${gw.url}/broken`)
    assert.equal(res.status, 502)
    assert.deepEqual(await res.json(), { message: 'Internal server error' })
  })

  test('a remote function that outlives the integration timeout is a 504', async () => {
    const res = await fetch(`${gw.url}/slow`)
    assert.equal(res.status, 504)
  })

  test("a remote authorizer failing with 'Unauthorized' is a 401", async () => {
    const res = await fetch(`${gw.url}/secure`, { headers: { authorization: 'Bearer nobody' } })
    assert.equal(res.status, 401)
    assert.deepEqual(await res.json(), { message: 'Unauthorized' })
    const seen = fake.invokes.find((i) => i.functionName === functionArn('remote-auth'))!
    assert.equal((seen.event as Record<string, unknown>).authorizationToken, 'Bearer nobody')
  })
})

describe('forcegate.yaml lambda.remote routes a function to AWS Lambda', () => {
  let fake: FakeLambdaServer
  let gw: TestGateway
  before(async () => {
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey
    fake = await startFakeLambda({
      [functionArn('remote-orders')]: { kind: 'result', payload: { statusCode: 200, body: 'from aws' } },
    })
    gw = await startTestGateway(
      openapi({ '/orders': { get: lambdaOp('remote-orders') } }),
      {},
      `lambda:\n  remote:\n    - match: "remote-*"\n      endpoint: ${fake.endpoint}\n`,
    )
  })
  after(async () => {
    await gw.close()
    await fake.close()
  })

  test('an aws_proxy route answers with the remote function, no local module needed', async () => {
    const res = await fetch(`${gw.url}/orders`)
    assert.equal(res.status, 200)
    assert.equal(await res.text(), 'from aws')
    assert.equal(fake.invokes.length, 1)
  })

  test('an unknown lambda.remote setting names its pointer', () => {
    assert.throws(
      () =>
        readGatewayFile(
          parseSourceText('forcegate.yaml', 'lambda:\n  remote:\n    - match: x\n      profile: dev\n'),
        ),
      /\/lambda\/remote\/0\/profile: is not a known setting/,
    )
  })
})
