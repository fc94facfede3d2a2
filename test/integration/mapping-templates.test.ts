import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const FIXTURES = new URL('../fixtures/mapping-templates/', import.meta.url)
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8')

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** The PetStore demo endpoint's behaviour: a list of pets, one pet, and creating one. */
async function startPetStoreBackend(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const pets = [
    { id: 1, type: 'dog', price: 249.99 },
    { id: 2, type: 'cat', price: 124.99 },
    { id: 3, type: 'fish', price: 0.99 },
  ]
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const url = new URL(req.url ?? '/', 'http://x')
      res.setHeader('content-type', 'application/json; charset=utf-8')
      res.setHeader('x-backend', 'petstore')
      const one = /^\/petstore\/pets\/(\d+)$/.exec(url.pathname)
      if (url.pathname === '/petstore/pets' && req.method === 'GET') {
        const type = url.searchParams.get('type')
        res.end(JSON.stringify(type === null ? pets : pets.filter((p) => p.type === type)))
      } else if (url.pathname === '/petstore/pets' && req.method === 'POST') {
        res.end(JSON.stringify({ pet: JSON.parse(body), message: 'success' }))
      } else if (one !== null) {
        const pet = pets.find((p) => p.id === Number(one[1]))
        res.statusCode = pet === undefined ? 404 : 200
        res.end(JSON.stringify(pet ?? { message: 'not found' }))
      } else {
        res.statusCode = 404
        res.end('{}')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe("AWS's PetStore sample API (http and mock integrations), unmodified but for the backend host", () => {
  let gw: TestGateway
  let backend: Awaited<ReturnType<typeof startPetStoreBackend>>
  before(async () => {
    backend = await startPetStoreBackend()
    const doc = fixture('petstore.json').replaceAll(
      'http://petstore.execute-api.us-east-1.amazonaws.com',
      backend.url,
    )
    gw = await startTestGateway(doc)
  })
  after(async () => {
    await gw.close()
    await backend.close()
  })

  test('GET / answers the mock HTML page with Content-Type text/html', async () => {
    const res = await fetch(`${gw.url}/`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'text/html')
    assert.match(await res.text(), /<h1>Welcome to your Pet Store API<\/h1>/)
  })

  test('GET /pets maps only the declared query parameters and passes the body through', async () => {
    const res = await fetch(`${gw.url}/pets?type=dog&page=1&other=x`, { headers: { 'x-client': 'no' } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.deepEqual(await res.json(), [{ id: 1, type: 'dog', price: 249.99 }])
    const seen = backend.seen.at(-1)!
    assert.equal(seen.method, 'GET')
    const url = new URL(seen.url, 'http://x')
    assert.equal(url.pathname, '/petstore/pets')
    assert.deepEqual(Object.fromEntries(url.searchParams), { page: '1', type: 'dog' })
    assert.equal(seen.headers['x-client'], undefined, 'client headers travel only when mapped')
  })

  test('GET /pets/{petId} fills the URI path from integration.request.path.petId', async () => {
    const res = await fetch(`${gw.url}/pets/2`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { id: 2, type: 'cat', price: 124.99 })
    assert.equal(backend.seen.at(-1)!.url, '/petstore/pets/2')
  })

  test('a backend 404 still takes the default response (200), as the sample has no other', async () => {
    const res = await fetch(`${gw.url}/pets/99`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { message: 'not found' })
  })

  test('POST /pets passes the JSON body through to the backend', async () => {
    const res = await fetch(`${gw.url}/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'dog', price: 249.99 }),
    })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { pet: { type: 'dog', price: 249.99 }, message: 'success' })
    const seen = backend.seen.at(-1)!
    assert.equal(seen.method, 'POST')
    assert.equal(seen.headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(seen.body), { type: 'dog', price: 249.99 })
  })

  test('OPTIONS /pets answers the CORS mock', async () => {
    const res = await fetch(`${gw.url}/pets`, { method: 'OPTIONS' })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST,GET,OPTIONS')
    assert.equal(
      res.headers.get('access-control-allow-headers'),
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key',
    )
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
  })
})

describe('the Lambda custom integration tutorial (type aws)', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(fixture('lambda-custom-integration.yaml'), {
      'GetStartedLambdaIntegration.mjs': fixture('functions/GetStartedLambdaIntegration.mjs'),
    })
  })
  after(() => gw.close())

  test('path, query string, header and body reach the function through the request template', async () => {
    const res = await fetch(`${gw.url}/Seattle?time=morning`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', day: 'Wednesday' },
      body: JSON.stringify({ callerName: 'John' }),
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.deepEqual(await res.json(), { greeting: 'Good morning, John of Seattle. Happy Wednesday!' })
  })

  test('an error whose message matches the selection pattern is a 400 shaped by its template', async () => {
    const res = await fetch(`${gw.url}/Atlantis?time=morning`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', day: 'Wednesday' },
      body: '{}',
    })
    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), { errorMessage: 'Malformed input: no such city', type: 'Error' })
  })

  test('WHEN_NO_TEMPLATES with a template for JSON refuses another media type with 415', async () => {
    const res = await fetch(`${gw.url}/Seattle?time=morning`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', day: 'Wednesday' },
      body: 'hello',
    })
    assert.equal(res.status, 415)
    assert.deepEqual(await res.json(), { message: 'Unsupported Media Type' })
  })

  test('the validator refuses missing required parameters with AWS 400 body', async () => {
    const res = await fetch(`${gw.url}/Seattle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), { message: 'Missing required request parameters: [time, day]' })
  })
})

const fn = (type: string, extra: Record<string, unknown>): Record<string, unknown> => ({
  'x-amazon-apigateway-integration': { type, ...extra },
})

describe("mapping templates from AWS's documentation, over HTTP", () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi(
        {
          '/mock': {
            get: fn('mock', {
              requestTemplates: {
                'application/json':
                  '{\n  #if( $input.params(\'scope\') == "internal" )\n    "statusCode": 200\n  #else\n    "statusCode": 500\n  #end\n}',
              },
              responses: {
                default: {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json': '{"statusCode": 200, "message": "Go ahead without me"}',
                  },
                },
                '5\\d{2}': {
                  statusCode: '500',
                  responseTemplates: {
                    'application/json':
                      '{"statusCode": 500, "message": "The invoked method is not supported on the API resource."}',
                  },
                },
              },
            }),
          },
          '/events': {
            post: fn('aws', {
              httpMethod: 'POST',
              uri: lambdaUri('echo'),
              requestTemplates: {
                'application/json':
                  '#set($allParams = $input.params())\n{\n"body-json" : $input.json(\'$\'),\n"params" : {\n#foreach($type in $allParams.keySet())\n    #set($params = $allParams.get($type))\n"$type" : {\n    #foreach($paramName in $params.keySet())\n    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"\n        #if($foreach.hasNext),#end\n    #end\n}\n    #if($foreach.hasNext),#end\n#end\n},\n"stage-variables" : {\n#foreach($key in $stageVariables.keySet())\n"$key" : "$util.escapeJavaScript($stageVariables.get($key))"\n    #if($foreach.hasNext),#end\n#end\n},\n"context" : {\n    "http-method" : "$context.httpMethod",\n    "request-id" : "$context.requestId",\n    "resource-path" : "$context.resourcePath",\n    "stage" : "$context.stage"\n    }\n}',
              },
              responses: {
                default: {
                  statusCode: '200',
                  responseParameters: {
                    'method.response.header.X-Request-Id': 'integration.response.body.context.request-id',
                  },
                },
              },
            }),
          },
          '/override': {
            get: fn('mock', {
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: {
                default: {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json':
                      '#set($context.responseOverride.status = 201)\n#set($context.responseOverride.header.X-Made = "yes")\n{"created": true}',
                  },
                },
              },
            }),
          },
          '/strict': {
            post: fn('mock', {
              passthroughBehavior: 'never',
              responses: { default: { statusCode: '200' } },
            }),
          },
          '/no-default': {
            get: fn('mock', {
              requestTemplates: { 'application/json': '{"statusCode": 404}' },
              responses: { '2\\d{2}': { statusCode: '200' } },
            }),
          },
          '/orders': {
            post: {
              'x-amazon-apigateway-request-validator': 'all',
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
              },
              ...fn('mock', {
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
                responses: {
                  default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } },
                },
              }),
            },
          },
        },
        {
          'x-amazon-apigateway-request-validators': {
            all: { validateRequestBody: true, validateRequestParameters: true },
          },
          'x-amazon-apigateway-gateway-responses': {
            BAD_REQUEST_BODY: {
              statusCode: 400,
              responseTemplates: {
                'application/json':
                  '{"message": $context.error.messageString, "errors": "$context.error.validationErrorString"}',
              },
            },
          },
          components: {
            schemas: {
              Order: {
                $schema: 'http://json-schema.org/draft-04/schema#',
                type: 'object',
                required: ['item', 'quantity'],
                properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
              },
            },
          },
        },
      ),
      { 'echo.mjs': 'export const handler = async (event) => event\n' },
    )
  })
  after(() => gw.close())

  test('a mock request template chooses the status from the request (AWS mock integration example)', async () => {
    const ok = await fetch(`${gw.url}/mock?scope=internal`)
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { statusCode: 200, message: 'Go ahead without me' })
    const other = await fetch(`${gw.url}/mock?scope=public`)
    assert.equal(other.status, 500)
    assert.deepEqual(await other.json(), {
      statusCode: 500,
      message: 'The invoked method is not supported on the API resource.',
    })
  })

  test("the 'method request passthrough' template gives the Lambda every parameter and the context", async () => {
    const res = await fetch(`${gw.url}/events?a=1&b=x%22y`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 't1' },
      body: JSON.stringify({ event: 'OrderPlaced__e', payload: { amount: 3 } }),
    })
    assert.equal(res.status, 200)
    const event = (await res.json()) as Record<string, Record<string, unknown>>
    assert.deepEqual(event['body-json'], { event: 'OrderPlaced__e', payload: { amount: 3 } })
    assert.deepEqual((event.params as Record<string, unknown>).querystring, { a: '1', b: 'x"y' })
    assert.equal(
      ((event.params as Record<string, Record<string, unknown>>).header as Record<string, unknown>)[
        'x-trace'
      ],
      't1',
    )
    assert.deepEqual(event.context, {
      'http-method': 'POST',
      'request-id': res.headers.get('x-amzn-requestid'),
      'resource-path': '/events',
      stage: 'dev',
    })
    assert.equal(res.headers.get('x-request-id'), res.headers.get('x-amzn-requestid'))
  })

  test('$context.responseOverride in a response template sets the status and a header', async () => {
    const res = await fetch(`${gw.url}/override`)
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('x-made'), 'yes')
    assert.deepEqual(await res.json(), { created: true })
  })

  test('passthroughBehavior NEVER without templates is 415 Unsupported Media Type', async () => {
    const res = await fetch(`${gw.url}/strict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal(res.status, 415)
    assert.deepEqual(await res.json(), { message: 'Unsupported Media Type' })
  })

  test('no matching integration response and no default is 500 Internal server error', async () => {
    const res = await fetch(`${gw.url}/no-default`)
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), { message: 'Internal server error' })
  })

  test('the body validator: valid passes, invalid is BAD_REQUEST_BODY through its gateway response', async () => {
    const ok = await fetch(`${gw.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'pen', quantity: 2 }),
    })
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { ok: true })
    const bad = await fetch(`${gw.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'pen', quantity: 0 }),
    })
    assert.equal(bad.status, 400)
    const body = (await bad.json()) as { message: string; errors: string }
    assert.equal(body.message, 'Invalid request body')
    assert.match(body.errors, /quantity/)
  })

  test('a body that is not JSON is refused by the body validator', async () => {
    const res = await fetch(`${gw.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"item":',
    })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as { message: string }).message, 'Invalid request body')
  })
})
