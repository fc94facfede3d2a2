/**
 * serverless-offline serves a service's REST (`http`) events under `/<stage>`, as the
 * execute-api URL does; forcegate serves them there and at `/path`, the events' path being the
 * resource's and `requestContext.path` the one with the prefix. `noPrependStageInUrl` drops the
 * prefix as serverless-offline does; HTTP APIs (the `$default` stage) have none.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { formatRouteTable } from '../../src/cli/format-route-table.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { type TempApi, tempApi } from '../helpers/temp-api.ts'

const HANDLER = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({
    path: event.path ?? event.rawPath,
    resource: event.resource ?? event.routeKey,
    contextPath: event.requestContext.path ?? event.requestContext.http.path,
    stage: event.requestContext.stage,
    proxy: event.pathParameters?.proxy ?? null,
  }),
})
`

const service = (events: string, custom = ''): string =>
  [
    'service: greeter',
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  stage: dev',
    ...(custom === '' ? [] : ['custom:', '  serverless-offline:', `    ${custom}`]),
    'functions:',
    '  hello:',
    '    handler: handler.handler',
    '    events:',
    ...events.split('\n').map((line) => `      ${line}`),
  ].join('\n')

async function serve(yaml: string, warnings: string[] = []): Promise<{ gateway: Gateway; api: TempApi }> {
  const api = await tempApi({})
  await api.file('handler.mjs', HANDLER)
  const apiFile = await api.file('serverless.yml', `${yaml}\n`)
  const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) })
  const gateway = await startGateway({ apiFile, apiFormat: 'serverless', port: 0, logger })
  return { gateway, api }
}

const get = async (gateway: Gateway, path: string) => {
  const res = await fetch(`${gateway.url}${path}`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('REST events of a serverless.yml', () => {
  let served: { gateway: Gateway; api: TempApi }
  before(async () => {
    served = await serve(service('- http: GET hello\n- http: ANY files/{proxy+}'))
  })
  after(async () => {
    await served.gateway.close()
    await served.api.remove()
  })

  test('/<stage>/path is served as serverless-offline and the execute-api URL serve it', async () => {
    assert.deepEqual(await get(served.gateway, '/dev/hello'), {
      status: 200,
      body: { path: '/hello', resource: '/hello', contextPath: '/dev/hello', stage: 'dev', proxy: null },
    })
    assert.deepEqual((await get(served.gateway, '/dev/files/a/b.txt')).body.proxy, 'a/b.txt')
  })

  test('/path is served too, as on a custom domain; requestContext.path still carries the stage', async () => {
    assert.deepEqual(await get(served.gateway, '/hello'), {
      status: 200,
      body: { path: '/hello', resource: '/hello', contextPath: '/dev/hello', stage: 'dev', proxy: null },
    })
  })

  test('the start-up table names both addresses', () => {
    const { url } = served.gateway
    assert.match(
      formatRouteTable(served.gateway.table, url).split('\n')[0]!,
      new RegExp(`\\(REST API, stage dev\\) on ${url} and ${url}/dev$`),
    )
  })

  test('another stage, or the stage name without its slash, is no route', async () => {
    assert.deepEqual(await get(served.gateway, '/prod/hello'), {
      status: 403,
      body: { message: 'Missing Authentication Token' },
    })
    assert.equal((await get(served.gateway, '/devhello')).status, 403)
  })
})

describe("serverless-offline's noPrependStageInUrl", () => {
  let served: { gateway: Gateway; api: TempApi }
  const warnings: string[] = []
  before(async () => {
    served = await serve(service('- http: GET hello', 'noPrependStageInUrl: true'), warnings)
  })
  after(async () => {
    await served.gateway.close()
    await served.api.remove()
  })

  test('serves /path only, and is honoured rather than named as not read', async () => {
    assert.equal((await get(served.gateway, '/hello')).status, 200)
    assert.equal((await get(served.gateway, '/dev/hello')).status, 403)
    assert.doesNotMatch(warnings.join(''), /noPrependStageInUrl/)
    assert.doesNotMatch(formatRouteTable(served.gateway.table, served.gateway.url), /\/dev\n/)
  })
})

describe('httpApi events of a serverless.yml', () => {
  let served: { gateway: Gateway; api: TempApi }
  before(async () => {
    served = await serve(service("- httpApi: 'GET /hello'"))
  })
  after(async () => {
    await served.gateway.close()
    await served.api.remove()
  })

  test('the $default stage has no prefix, as on AWS', async () => {
    assert.deepEqual(await get(served.gateway, '/hello'), {
      status: 200,
      body: { path: '/hello', resource: 'GET /hello', contextPath: '/hello', stage: '$default', proxy: null },
    })
    assert.deepEqual(await get(served.gateway, '/dev/hello'), { status: 404, body: { message: 'Not Found' } })
  })
})
