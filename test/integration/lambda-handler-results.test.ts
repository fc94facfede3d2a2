import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { lambdaOp, lambdaUri } from '../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const ALLOW = `{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }`

const FUNCTIONS = {
  'circular-policy.mjs': `export const handler = async () => {
    const policyDocument = ${ALLOW}
    policyDocument.self = policyDocument
    return { principalId: 'user-1', policyDocument }
  }\n`,
  'bigint-context.mjs': `export const handler = async () => ({ principalId: 'user-1', policyDocument: ${ALLOW}, context: { n: 1n } })\n`,
  'allow.mjs': `export const handler = async () => ({ principalId: 'user-1', policyDocument: ${ALLOW} })\n`,
  'protected.mjs': `export const handler = async () => ({ statusCode: 200, body: 'protected data' })\n`,
  'circular-response.mjs': `export const handler = async () => { const r = { statusCode: 200, body: 'ok', headers: {} }; r.headers.self = r; return r }\n`,
  'returns-nothing.mjs': `export const handler = async () => {}\n`,
}

function scheme(fn: string): Record<string, unknown> {
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      type: 'token',
      authorizerUri: lambdaUri(fn),
      authorizerResultTtlInSeconds: 0,
    },
  }
}

describe('local handler results go through Lambda serialisation', () => {
  let gw: TestGateway
  before(async () => {
    gw = await startTestGateway(
      openapi(
        {
          '/circular': { get: { ...lambdaOp('protected'), security: [{ circular: [] }] } },
          '/bigint': { get: { ...lambdaOp('protected'), security: [{ bigint: [] }] } },
          '/allowed': { get: { ...lambdaOp('protected'), security: [{ allow: [] }] } },
          '/circular-response': { get: lambdaOp('circular-response') },
          '/nothing': { get: lambdaOp('returns-nothing') },
        },
        {
          components: {
            securitySchemes: {
              circular: scheme('circular-policy'),
              bigint: scheme('bigint-context'),
              allow: scheme('allow'),
            },
          },
        },
      ),
      FUNCTIONS,
    )
  })
  after(async () => {
    await gw.close()
  })

  test('an authorizer whose policy has a cycle fails closed: 500, the handler is not reached', async () => {
    const res = await fetch(`${gw.url}/circular`, { headers: { authorization: 'Bearer abc' } })
    assert.equal(res.status, 500)
    assert.equal(res.headers.get('x-amzn-errortype'), 'AuthorizerConfigurationException')
    assert.deepEqual(await res.json(), { message: null })
  })

  test('an authorizer whose context holds a BigInt fails closed: 500', async () => {
    const res = await fetch(`${gw.url}/bigint`, { headers: { authorization: 'Bearer abc' } })
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), { message: null })
  })

  test('a serialisable Allow still reaches the handler', async () => {
    const res = await fetch(`${gw.url}/allowed`, { headers: { authorization: 'Bearer abc' } })
    assert.equal(res.status, 200)
    assert.equal(await res.text(), 'protected data')
  })

  test('a proxy response with a cycle is a failed invocation: 502', async () => {
    const res = await fetch(`${gw.url}/circular-response`)
    assert.equal(res.status, 502)
    assert.deepEqual(await res.json(), { message: 'Internal server error' })
  })

  test('a proxy handler that returns nothing answers null: 502 on REST', async () => {
    const res = await fetch(`${gw.url}/nothing`)
    assert.equal(res.status, 502)
  })
})
