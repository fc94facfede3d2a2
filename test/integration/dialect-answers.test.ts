import assert from 'node:assert/strict'
import { test } from 'node:test'
import { explainRequest } from '../../src/pipeline/explain.ts'
import { lambdaOp } from '../helpers/temp-api.ts'
import { openapi, startTestGateway } from '../helpers/test-gateway.ts'

const FUNCTIONS = { 'ok.mjs': `export const handler = async () => ({ statusCode: 200, body: 'ok' })\n` }
const HTTP_API = { 'x-amazon-apigateway-importexport-version': '1.0' }

/** Serves `document`, asks the server and explain for `path`, and returns both answers. */
async function both(document: unknown, path: string) {
  const gw = await startTestGateway(document, FUNCTIONS)
  try {
    const res = await fetch(`${gw.url}${path}`)
    const served = { status: res.status, body: await res.text() }
    const explained = await explainRequest(
      gw.gateway.table,
      { method: 'GET', target: path, headers: [] },
      Date.now,
    )
    return { served, explained }
  } finally {
    await gw.close()
  }
}

test('an HTTP API answers an unknown route 404 Not Found, and explain says so too', async () => {
  const { served, explained } = await both(
    openapi({ '/known': { get: lambdaOp('ok') } }, HTTP_API),
    '/unknown',
  )
  assert.deepEqual(served, { status: 404, body: '{"message":"Not Found"}' })
  assert.equal(explained.status, 404)
  assert.match(explained.outcome, /GW_ROUTE_NOT_FOUND/)
})

test('a REST API answers it 403 Missing Authentication Token, and explain says so too', async () => {
  const { served, explained } = await both(openapi({ '/known': { get: lambdaOp('ok') } }), '/unknown')
  assert.deepEqual(served, { status: 403, body: '{"message":"Missing Authentication Token"}' })
  assert.equal(explained.status, 403)
})

test("explain reports a gateway response's status override, as the server answers", async () => {
  const { served, explained } = await both(
    openapi(
      { '/known': { get: lambdaOp('ok') } },
      {
        'x-amazon-apigateway-gateway-responses': {
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: 404,
            responseTemplates: { 'application/json': '{"message":"no such resource"}' },
          },
        },
      },
    ),
    '/unknown',
  )
  assert.deepEqual(served, { status: 404, body: '{"message":"no such resource"}' })
  assert.equal(explained.status, 404)
})

/** A gateway response header no HTTP message can carry makes the error's answer unsendable. */
const BAD_HEADER = {
  'x-amazon-apigateway-gateway-responses': {
    DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.x-bad': "'a\u0001b'" } },
  },
}

test('an unsendable header on the error path gets the HTTP API answer on an HTTP API', async () => {
  const { served, explained } = await both(
    openapi({ '/known': { get: lambdaOp('ok') } }, { ...HTTP_API, ...BAD_HEADER }),
    '/unknown',
  )
  assert.deepEqual(served, { status: 500, body: '{"message":"Internal Server Error"}' })
  assert.equal(explained.status, 500)
})

test('and the REST answer on a REST API', async () => {
  const { served, explained } = await both(
    openapi({ '/known': { get: lambdaOp('ok') } }, BAD_HEADER),
    '/unknown',
  )
  assert.deepEqual(served, { status: 502, body: '{"message":"Internal server error"}' })
  assert.equal(explained.status, 502)
})
