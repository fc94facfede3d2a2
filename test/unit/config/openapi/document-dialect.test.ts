/**
 * What the document's dialect changes in reading it: `x-amazon-apigateway-importexport-version`
 * makes an HTTP API, whose integrations wait up to 30 s (REST: 29 s), speak payload 2.0 by
 * default, are proxies only, and whose `isDefaultRoute` makes the `$default` route (REST has
 * none: the flag is ignored).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readApiDocument } from '../../../../src/config/openapi/read-api-document.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'
import { dialectOfDocument, HTTP_API, REST_API } from '../../../../src/dialect/api-dialect.ts'

const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:orders'
const HTTP_HEAD = "openapi: 3.0.1\nx-amazon-apigateway-importexport-version: '1.0'\n"

function read(yaml: string) {
  return readApiDocument(parseSourceText('api.yaml', yaml))
}

const LAMBDA_OP = [
  'paths:',
  '  /orders:',
  '    get:',
  '      isDefaultRoute: true',
  '      x-amazon-apigateway-integration:',
  '        type: aws_proxy',
  `        uri: ${FN}`,
].join('\n')

describe('the dialect of a document', () => {
  test('the import/export version decides, and nothing else', () => {
    assert.equal(dialectOfDocument({ openapi: '3.0.1' }), REST_API)
    assert.equal(dialectOfDocument({ 'x-amazon-apigateway-importexport-version': '1.0' }), HTTP_API)
  })

  test('a REST Lambda proxy waits 29 s, speaks payload 1.0 and ignores isDefaultRoute', () => {
    const api = read(`openapi: 3.0.1\n${LAMBDA_OP}\n`)
    assert.deepEqual(api.problems, [])
    assert.equal(api.dialect, REST_API)
    const [route] = api.routes
    assert.equal(route?.method, 'GET')
    assert.deepEqual(route?.integration, {
      type: 'aws_proxy',
      functionName: 'orders',
      functionArn: FN,
      payloadFormatVersion: '1.0',
      timeoutMs: 29_000,
      pointer: '/paths/~1orders/get/x-amazon-apigateway-integration',
    })
  })

  test('an HTTP API Lambda proxy waits 30 s, speaks payload 2.0 and isDefaultRoute makes $default', () => {
    const api = read(`${HTTP_HEAD}${LAMBDA_OP}\n`)
    assert.deepEqual(api.problems, [])
    assert.equal(api.dialect, HTTP_API)
    const [route] = api.routes
    assert.equal(route?.method, '$default')
    assert.ok(route?.integration?.type === 'aws_proxy')
    assert.equal(route.integration.payloadFormatVersion, '2.0')
    assert.equal(route.integration.timeoutMs, 30_000)
  })

  test('only an HTTP API reads CORS', () => {
    const cors =
      "x-amazon-apigateway-cors: { allowOrigins: ['https://app.example.com'], allowMethods: [get] }\n"
    assert.equal(read(`openapi: 3.0.1\n${cors}paths: {}\n`).cors, undefined)
    assert.deepEqual(read(`${HTTP_HEAD}${cors}paths: {}\n`).cors, {
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET'],
      allowHeaders: [],
      exposeHeaders: [],
      maxAge: undefined,
      allowCredentials: false,
      pointer: '/x-amazon-apigateway-cors',
    })
  })
})
