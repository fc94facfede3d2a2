import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli } from '../helpers/cli-process.ts'
import { lambdaOp, lambdaUri, tempApi } from '../helpers/temp-api.ts'
import { openapi, startTestGateway } from '../helpers/test-gateway.ts'

const ALLOW_HANDLER = `export const handler = async () => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] } })\n`
const OK_HANDLER = `export const handler = async () => ({ statusCode: 200, body: 'ok' })\n`

function tokenScheme(fn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: lambdaUri(fn), ...extra },
  }
}

test('every problem of the API document is reported in one run, each with file:line and pointer', async () => {
  const api = await tempApi(
    openapi(
      {
        '/legacy': { get: { 'x-amazon-apigateway-integration': { type: 'aws', uri: 'x' } } },
        '/request': { get: { ...lambdaOp('ok'), security: [{ requestAuth: [] }] } },
        '/cognito': { get: { ...lambdaOp('ok'), security: [{ pool: [] }] } },
        '/token': { get: { ...lambdaOp('ok'), security: [{ lookahead: [] }] } },
        '/iam': { get: { ...lambdaOp('ok'), security: [{ sigv4: [] }] } },
      },
      {
        components: {
          securitySchemes: {
            requestAuth: {
              type: 'apiKey',
              name: 'Unused',
              in: 'header',
              'x-amazon-apigateway-authorizer': {
                type: 'request',
                authorizerUri: lambdaUri('allow'),
                identitySource: '$request.header.Authorization',
              },
            },
            pool: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:x'] },
            },
            lookahead: tokenScheme('allow', { identityValidationExpression: '^Bearer (?=[a-z])\\w+$' }),
            sigv4: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'awsSigv4',
            },
          },
        },
      },
    ),
    { 'ok.mjs': OK_HANDLER, 'allow.mjs': ALLOW_HANDLER },
  )
  try {
    const run = await runCli(['serve', '--api', api.apiFile])
    assert.equal(run.code, 1, run.stderr)
    const file = api.apiFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const expectations = [
      /\/paths\/~1legacy\/get\/x-amazon-apigateway-integration\/uri: expected a Lambda invoke URI \(arn:aws:apigateway:REGION:lambda:path\/2015-03-31\/functions\/.*\/invocations\)$/,
      /\/components\/securitySchemes\/requestAuth\/x-amazon-apigateway-authorizer\/identitySource: expected identity source '\$request\.header\.Authorization': REST APIs write identity sources as method\.request\.header\.<name>.*: use 'method\.request\.header\.Authorization'/,
      /\/components\/securitySchemes\/pool\/x-amazon-apigateway-authorizer\/type: expected token, request or jwt, found 'cognito_user_pools' \(Cognito is not supported yet\)/,
      /\/components\/securitySchemes\/lookahead\/x-amazon-apigateway-authorizer\/identityValidationExpression: expected a regular expression RE2 accepts \(linear time: no backreferences, lookahead or lookbehind\); .*\(\?=/,
      /\/components\/securitySchemes\/sigv4\/x-amazon-apigateway-authtype: scheme 'sigv4' asks for IAM \(SigV4\) authorization, which is not supported yet: protect the route with a Lambda REQUEST authorizer .* or with Salesforce identity \(x-forcegate-salesforce\)/,
    ]
    for (const pattern of expectations) {
      const line = run.stderr.split('\n').find((l) => pattern.test(l))
      assert.ok(line, `${pattern} in:\n${run.stderr}`)
      assert.match(line, new RegExp(`^${file}:\\d+: /`), `file:line first: ${line}`)
    }
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
  } finally {
    await api.remove()
  }
})

test('a handler module that fails to load stops the start with the file and what to do, no stack', async () => {
  const api = await tempApi(
    { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/a': { get: lambdaOp('legacy') } } },
    {
      'legacy.js':
        "const util = require('node:util')\nexports.handler = async () => ({ statusCode: 200, body: util.format('ok') })\n",
    },
  )
  try {
    await writeFile(join(api.functionsDir, 'package.json'), '{"type":"module"}\n')
    const run = await runCli(['serve', '--api', api.apiFile])
    assert.equal(run.code, 1, run.stderr)
    assert.match(run.stderr, /forcegate: configuration error/)
    assert.match(
      run.stderr,
      /legacy\.js is CommonJS \(it uses require\).*rename it to legacy\.cjs, or put a package\.json containing \{"type": "commonjs"\} in its folder/,
    )
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
  } finally {
    await api.remove()
  }
})

test('a backtracking-prone identityValidationExpression answers a long token promptly', async () => {
  const gw = await startTestGateway(
    openapi(
      { '/orders': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } } },
      {
        components: {
          securitySchemes: {
            bearer: tokenScheme('allow', { identityValidationExpression: '^Bearer ([A-Za-z0-9_-]+\\.?)+$' }),
          },
        },
      },
    ),
    { 'ok.mjs': OK_HANDLER, 'allow.mjs': ALLOW_HANDLER },
  )
  try {
    // A backtracking engine takes 2^n steps on this token before failing; RE2 takes n.
    const slow = await fetch(`${gw.url}/orders`, { headers: { authorization: `Bearer ${'a'.repeat(64)}!` } })
    assert.equal(slow.status, 401)
    const fine = await fetch(`${gw.url}/orders`, { headers: { authorization: `Bearer ${'a'.repeat(64)}` } })
    assert.equal(fine.status, 200)
  } finally {
    await gw.close()
  }
})
