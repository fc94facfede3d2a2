/**
 * AWS's console "Example API" (PetStore: `http` integrations to AWS's demo endpoint and `mock`
 * ones), as `aws apigateway get-export --export-type oas30 --extensions apigateway` gives it,
 * runs unmodified: only its backend host is pointed at a local stand-in for the demo endpoint.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { readApiDocument } from '../../src/config/openapi/read-api-document.ts'
import { loadSourceDocument } from '../../src/config/source-document.ts'
import { rawRequest } from '../helpers/raw-http.ts'
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const EXPORT = new URL('../fixtures/aws-example-api.json', import.meta.url)
const DEMO_ENDPOINT = 'http://petstore-demo-endpoint.execute-api.com'

describe("AWS's console Example API (PetStore), unmodified", () => {
  let gw: TestGateway
  let backend: Server
  const seen: string[] = []

  before(async () => {
    backend = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      res.setHeader('content-type', 'application/json')
      res.end(req.url?.startsWith('/petstore/pets/') ? '{"id":1,"type":"dog","price":249.99}' : '[]')
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const { port } = backend.address() as AddressInfo
    const document = readFileSync(EXPORT, 'utf8').replaceAll(DEMO_ENDPOINT, `http://127.0.0.1:${port}`)
    gw = await startTestGateway(document)
  })
  after(async () => {
    await gw.close()
    await new Promise<void>((resolve) => backend.close(() => resolve()))
  })

  test('the export is a valid document as it stands: no problem reported', async () => {
    const api = readApiDocument(await loadSourceDocument(EXPORT.pathname))
    assert.deepEqual(
      api.problems.map((p) => p.message),
      [],
    )
    assert.equal(api.routes.length, 6)
  })

  test('GET / answers the mock HTML page with exactly one Content-Type', async () => {
    const res = await rawRequest(gw.url, 'GET / HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n')
    assert.equal(res.status, 200)
    const contentTypes = res.head.split('\r\n').filter((line) => /^content-type:/i.test(line))
    assert.deepEqual(contentTypes, ['content-type: text/html'])
    assert.match(res.body, /<h1>Welcome to your Pet Store API<\/h1>/)
  })

  test('GET /pets and GET /pets/{petId} reach the demo endpoint with the mapped query and path', async () => {
    const list = await fetch(`${gw.url}/pets?type=dog&page=2`)
    assert.equal(list.status, 200)
    assert.equal(list.headers.get('access-control-allow-origin'), '*')
    assert.deepEqual(await list.json(), [])
    const one = await fetch(`${gw.url}/pets/1`)
    assert.deepEqual(await one.json(), { id: 1, type: 'dog', price: 249.99 })
    assert.deepEqual(seen.slice(-2), ['GET /petstore/pets?page=2&type=dog', 'GET /petstore/pets/1'])
  })

  test("OPTIONS /pets is the export's CORS mock: the Access-Control-Allow-* response parameters", async () => {
    const res = await fetch(`${gw.url}/pets`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST,GET,OPTIONS')
    assert.equal(
      res.headers.get('access-control-allow-headers'),
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key',
    )
  })
})
