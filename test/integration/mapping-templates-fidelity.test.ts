import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

/** Documented API Gateway behaviours of non-proxy integrations, checked over HTTP. */

const integration = (spec: Record<string, unknown>): Record<string, unknown> => ({
  'x-amazon-apigateway-integration': spec,
})

describe('non-proxy integrations as AWS documents them, over HTTP', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi({
        '/mock-default': {
          get: integration({
            type: 'mock',
            responses: {
              default: {
                statusCode: '200',
                responseTemplates: { 'application/json': '{"mock": "default"}' },
              },
              '5\\d{2}': { statusCode: '500' },
            },
          }),
        },
        '/not-json': {
          post: integration({
            type: 'aws',
            httpMethod: 'POST',
            uri: lambdaUri('echo'),
            requestTemplates: { 'application/json': '{"val": "$input.json(\'$.pets\')"}' },
            responses: { default: { statusCode: '200' } },
          }),
        },
        '/catch-all': {
          post: integration({
            type: 'aws',
            httpMethod: 'POST',
            uri: lambdaUri('echo'),
            responses: { default: { statusCode: '200' }, '.*': { statusCode: '400' } },
          }),
        },
        '/errors-only': {
          post: integration({
            type: 'aws',
            httpMethod: 'POST',
            uri: lambdaUri('echo'),
            responses: { default: { statusCode: '200' }, '.+': { statusCode: '400' } },
          }),
        },
        '/enrich': {
          post: integration({
            type: 'aws',
            httpMethod: 'POST',
            uri: lambdaUri('echo'),
            requestTemplates: {
              'application/json':
                "#set($body = $input.path('$'))\n#set($body.url = \"https://example.tld/thingy/$body.id\")\n$input.json('$')",
            },
            responses: { default: { statusCode: '200' } },
          }),
        },
      }),
      { 'echo.mjs': 'export const handler = async (event) => event\n' },
    )
  })
  after(() => gw.close())

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  test('a mock without a request template answers its default integration response', async () => {
    const res = await fetch(`${gw.url}/mock-default`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { mock: 'default' })
  })

  test('a Lambda event that is not JSON is 400 "Could not parse request body into json"', async () => {
    // $input.json of a path that finds nothing is "", so quoting it renders {"val": """"}.
    const res = await post('/not-json', { other: 1 })
    assert.equal(res.status, 400)
    const body = (await res.json()) as { message: string }
    assert.match(body.message, /^Could not parse request body into json/)
  })

  test("a Lambda success is matched as an empty error message: '.*' takes it, '.+' leaves it to default", async () => {
    const all = await post('/catch-all', { a: 1 })
    assert.equal(all.status, 400)
    assert.deepEqual(await all.json(), { a: 1 })
    const errorsOnly = await post('/errors-only', { a: 1 })
    assert.equal(errorsOnly.status, 200)
    assert.deepEqual(await errorsOnly.json(), { a: 1 })
  })

  test('a #set on what $input.path returned reaches the Lambda through $input.json', async () => {
    const res = await post('/enrich', { id: '42', name: 'thing' })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { id: '42', name: 'thing', url: 'https://example.tld/thingy/42' })
  })
})
