import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { openapi, startTestGateway, type TestGateway } from '../../helpers/test-gateway.ts'

/**
 * AWS's "Use a mapping template to override an API's request and response parameters and
 * status codes", over HTTP: the request template's `$context.requestOverride` reaches the
 * backend in place of the mapped parameters, the response template's
 * `$context.responseOverride` reaches the client, and an override set twice is a 5XX.
 */

const OUT_OF_RANGE = { errors: [{ key: 'GetPetRequest.petId', message: 'The value is out of range.' }] }

interface Seen {
  url: string
  headers: IncomingHttpHeaders
  body: string
}

async function startEcho(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body })
      res.setHeader('content-type', 'application/json')
      // The PetStore demo endpoint's answer to a pet id out of range, with status 200.
      res.end(req.url?.startsWith('/petstore/pets/-') === true ? JSON.stringify(OUT_OF_RANGE) : body)
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

const integration = (extra: Record<string, unknown>): Record<string, unknown> => ({
  'x-amazon-apigateway-integration': extra,
})

describe('$context.requestOverride and responseOverride over HTTP', () => {
  let gw: TestGateway
  let backend: Awaited<ReturnType<typeof startEcho>>
  before(async () => {
    backend = await startEcho()
    gw = await startTestGateway(
      openapi({
        '/pets/{petId}': {
          get: {
            parameters: [
              { name: 'petId', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'header1', in: 'header', schema: { type: 'string' } },
              { name: 'header2', in: 'header', schema: { type: 'string' } },
            ],
            ...integration({
              type: 'http',
              httpMethod: 'POST',
              uri: `${backend.url}/petstore/pets/{id}`,
              requestParameters: {
                'integration.request.path.id': 'method.request.path.petId',
                'integration.request.header.header1': 'method.request.header.header1',
              },
              requestTemplates: {
                'application/json':
                  '#set($header1Override = "foo")\n#set($header3Value = "$input.params(\'header1\')$input.params(\'header2\')")\n$input.json("$")\n#set($context.requestOverride.header.header3 = $header3Value)\n#set($context.requestOverride.header.header1 = $header1Override)\n#set($context.requestOverride.path.id = "$input.params(\'petId\')0")\n#set($context.requestOverride.querystring.type = "dog")',
              },
              responses: {
                default: {
                  statusCode: '200',
                  responseTemplates: {
                    'application/json':
                      '#set($inputRoot = $input.path(\'$\'))\n$input.json("$")\n#if($inputRoot.toString().contains("error"))\n#set($context.responseOverride.status = 400)\n#set($context.responseOverride.header.X-Pet-Error = "true")\n#end',
                  },
                },
              },
            }),
          },
        },
        '/twice': {
          get: integration({
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: {
              default: {
                statusCode: '200',
                responseTemplates: {
                  'application/json':
                    '#set($context.responseOverride.status = 400)\n#set($context.responseOverride.status = 404)\n{}',
                },
              },
            },
          }),
        },
      }),
    )
  })
  after(async () => {
    await gw.close()
    await backend.close()
  })

  test('the request template overrides a mapped header, adds one, and replaces the path and query string', async () => {
    const res = await fetch(`${gw.url}/pets/7`, {
      headers: { header1: 'header1Val', header2: 'header2Val' },
    })
    assert.equal(res.status, 200)
    const seen = backend.seen.at(-1)
    assert.ok(seen !== undefined)
    assert.equal(seen.url, '/petstore/pets/70?type=dog')
    assert.equal(seen.headers.header1, 'foo')
    assert.equal(seen.headers.header3, 'header1Valheader2Val')
    assert.equal(seen.body.trim(), '{}')
  })

  test('the response template turns a body with an error into a 400 with its header (the PetStore tutorial)', async () => {
    const res = await fetch(`${gw.url}/pets/-1`)
    assert.equal(res.status, 400)
    assert.equal(res.headers.get('x-pet-error'), 'true')
    assert.deepEqual(await res.json(), OUT_OF_RANGE)
    const ok = await fetch(`${gw.url}/pets/1`)
    assert.equal(ok.status, 200)
    assert.equal(ok.headers.get('x-pet-error'), null)
    await ok.arrayBuffer()
  })

  test('an override set twice answers 500 Internal server error', async () => {
    const res = await fetch(`${gw.url}/twice`)
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), { message: 'Internal server error' })
  })
})
