import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

/**
 * `contentHandling` and `x-amazon-apigateway-binary-media-types` over HTTP, as AWS's "content
 * type conversions" tables state them, and the Lambda custom integration's asynchronous
 * invocation (`X-Amz-Invocation-Type: 'Event'`).
 */

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80])

interface Seen {
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** Records what it receives; `/png` answers PNG bytes, `/base64` the same bytes as base64 text. */
async function startBackend(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) })
      if (req.url === '/png') {
        res.setHeader('content-type', 'image/png')
        res.end(PNG)
      } else if (req.url === '/base64') {
        res.setHeader('content-type', 'text/plain')
        res.end(PNG.toString('base64'))
      } else res.end('{}')
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

const http = (uri: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  'x-amazon-apigateway-integration': {
    type: 'http',
    httpMethod: 'POST',
    uri,
    responses: {
      default: {
        statusCode: '200',
        responseParameters: {
          'method.response.header.Content-Type': 'integration.response.header.Content-Type',
        },
      },
    },
    ...extra,
  },
})

describe('contentHandling with binary media types (http integration)', () => {
  let gw: TestGateway
  let backend: Awaited<ReturnType<typeof startBackend>>
  before(async () => {
    backend = await startBackend()
    const b = backend.url
    gw = await startTestGateway(
      openapi(
        {
          '/as-is': { post: http(`${b}/in`) },
          '/to-text': { post: http(`${b}/in`, { contentHandling: 'CONVERT_TO_TEXT' }) },
          '/to-binary': { post: http(`${b}/in`, { contentHandling: 'CONVERT_TO_BINARY' }) },
          '/template': {
            post: http(`${b}/in`, {
              contentHandling: 'CONVERT_TO_TEXT',
              requestTemplates: {
                'image/png': '{"image": "$input.body", "type": "$input.params(\'content-type\')"}',
              },
            }),
          },
          '/png': { post: http(`${b}/png`) },
          '/png-to-text': {
            post: http(`${b}/png`, {
              responses: { default: { statusCode: '200', contentHandling: 'CONVERT_TO_TEXT' } },
            }),
          },
          '/base64-to-binary': {
            post: http(`${b}/base64`, {
              responses: {
                default: {
                  statusCode: '200',
                  contentHandling: 'CONVERT_TO_BINARY',
                  responseParameters: { 'method.response.header.Content-Type': "'image/png'" },
                },
              },
            }),
          },
        },
        { 'x-amazon-apigateway-binary-media-types': ['image/png'] },
      ),
    )
  })
  after(async () => {
    await gw.close()
    await backend.close()
  })

  const post = (path: string, body: Buffer | string, type: string): Promise<Response> =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body })

  test('a binary payload with contentHandling unset reaches the backend byte for byte', async () => {
    assert.equal((await post('/as-is', PNG, 'image/png')).status, 200)
    assert.deepEqual(backend.seen.at(-1)!.body, PNG)
  })

  test('CONVERT_TO_TEXT sends a binary payload as its base64 text', async () => {
    assert.equal((await post('/to-text', PNG, 'image/png')).status, 200)
    assert.equal(backend.seen.at(-1)!.body.toString('utf8'), PNG.toString('base64'))
  })

  test('CONVERT_TO_TEXT leaves a text payload as it is', async () => {
    assert.equal((await post('/to-text', '{"a":"é"}', 'application/json')).status, 200)
    assert.equal(backend.seen.at(-1)!.body.toString('utf8'), '{"a":"é"}')
  })

  test('CONVERT_TO_BINARY decodes a text payload from base64', async () => {
    assert.equal((await post('/to-binary', PNG.toString('base64'), 'text/plain')).status, 200)
    assert.deepEqual(backend.seen.at(-1)!.body, PNG)
  })

  test('CONVERT_TO_BINARY leaves a binary payload as it is', async () => {
    assert.equal((await post('/to-binary', PNG, 'image/png')).status, 200)
    assert.deepEqual(backend.seen.at(-1)!.body, PNG)
  })

  test('a request template reads a binary payload as base64 in $input.body', async () => {
    assert.equal((await post('/template', PNG, 'image/png')).status, 200)
    assert.deepEqual(JSON.parse(backend.seen.at(-1)!.body.toString('utf8')), {
      image: PNG.toString('base64'),
      type: 'image/png',
    })
  })

  test('a binary integration response with contentHandling unset reaches the client byte for byte', async () => {
    const res = await post('/png', '{}', 'application/json')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'image/png')
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG)
  })

  test('response CONVERT_TO_TEXT answers a binary integration response as base64 text', async () => {
    const res = await post('/png-to-text', '{}', 'application/json')
    assert.equal(res.status, 200)
    assert.equal(await res.text(), PNG.toString('base64'))
  })

  test('response CONVERT_TO_BINARY answers a base64 text integration response as its bytes', async () => {
    const res = await post('/base64-to-binary', '{}', 'application/json')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'image/png')
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG)
  })
})

describe("asynchronous Lambda invocation (X-Amz-Invocation-Type: 'Event')", () => {
  let gw: TestGateway
  let hold: Server
  let holdUrl = ''
  let arrived: Promise<unknown>
  let release: () => void = () => undefined
  before(async () => {
    // The function reports its event to this server and waits on its answer. The first report
    // is held back until the client has had its response, so that call cannot have waited for
    // the function; later reports are answered at once.
    let arrive: (event: unknown) => void = () => undefined
    arrived = new Promise((resolve) => (arrive = resolve))
    let held = false
    hold = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString('utf8')))
      req.on('end', () => {
        if (held) return void res.end('{}')
        held = true
        arrive(JSON.parse(body))
        release = () => res.end('{}')
      })
    })
    await new Promise<void>((resolve) => hold.listen(0, '127.0.0.1', resolve))
    holdUrl = `http://127.0.0.1:${(hold.address() as AddressInfo).port}/`
    const integration = (invocation: string): Record<string, unknown> => ({
      'x-amazon-apigateway-integration': {
        type: 'aws',
        httpMethod: 'POST',
        uri: lambdaUri('report'),
        requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': invocation },
        requestTemplates: {
          'application/json': `{"order": $input.json('$.order'), "report": "${holdUrl}"}`,
        },
        responses: { default: { statusCode: '200' } },
      },
    })
    gw = await startTestGateway(
      openapi({
        '/async': { post: integration("'Event'") },
        '/chosen': {
          post: {
            parameters: [
              { name: 'InvocationType', in: 'header', required: false, schema: { type: 'string' } },
            ],
            ...integration('method.request.header.InvocationType'),
          },
        },
      }),
      {
        'report.mjs':
          "export const handler = async (event) => {\n  await fetch(event.report, { method: 'POST', body: JSON.stringify(event) })\n  return { done: event.order }\n}\n",
      },
    )
  })
  after(async () => {
    release()
    await gw.close()
    await new Promise<void>((resolve) => hold.close(() => resolve()))
  })

  test("'Event' answers the default response at once, with an empty body, while the function runs", async () => {
    const res = await fetch(`${gw.url}/async`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order: 'A-1' }),
    })
    assert.equal(res.status, 200)
    assert.equal(await res.text(), '')
    assert.deepEqual(await arrived, { order: 'A-1', report: holdUrl })
    release()
  })

  test('the client chooses with a header mapped from method.request.header.InvocationType', async () => {
    const res = await fetch(`${gw.url}/chosen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', InvocationType: 'RequestResponse' },
      body: JSON.stringify({ order: 'B-2' }),
    })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { done: 'B-2' })
  })
})
