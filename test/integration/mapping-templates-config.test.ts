import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runCli, type ServingCli, serveCli } from '../helpers/cli-process.ts'
import { lambdaUri, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const LAMBDA_API = 'test/fixtures/mapping-templates/lambda-custom-integration.yaml'
const FUNCTIONS = 'test/fixtures/mapping-templates/functions'
const OK = 'export const handler = async (event) => event\n'

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('mapping templates at start-up: every problem in one run, with file:line, pointer and template line', () => {
  test('syntax errors, bad selection patterns, mapping expressions and URIs are all reported', async () => {
    const api = await tempApi(
      openapi({
        '/broken': {
          post: {
            'x-amazon-apigateway-integration': {
              type: 'aws',
              httpMethod: 'POST',
              uri: lambdaUri('ok'),
              requestTemplates: { 'application/json': '{\n  "a": "$input.body",\n  #if($x\n}' },
              responses: {
                default: {
                  statusCode: '200',
                  responseTemplates: { 'application/json': '{\n  "ok": true,\n  #set($x = )\n}' },
                },
                '(?<=x)y': { statusCode: '400' },
              },
            },
          },
        },
        '/params': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http',
              httpMethod: 'GET',
              uri: 'http://127.0.0.1:9/x',
              requestParameters: {
                'integration.request.querystring.q': 'method.request.nowhere.q',
                'integration.response.header.X': "'v'",
              },
              passthroughBehavior: 'sometimes',
              responses: {
                default: { statusCode: '200', responseParameters: { 'method.response.header.Y': 'body.z' } },
              },
            },
          },
        },
        '/s3': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws',
              httpMethod: 'GET',
              uri: 'arn:aws:apigateway:us-east-1:s3:path/bucket/key',
            },
          },
        },
        '/validated': {
          post: {
            'x-amazon-apigateway-request-validator': 'nope',
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
            },
          },
        },
      }),
      { 'ok.mjs': OK },
    )
    try {
      const run = await runCli(['serve', '--api', api.apiFile, '--functions', api.functionsDir])
      assert.equal(run.code, 1, run.stderr)
      const file = escapeRegExp(api.apiFile)
      const integration = (path: string, method: string): string =>
        `\\/paths\\/~1${path}\\/${method}\\/x-amazon-apigateway-integration`
      const expectations = [
        new RegExp(
          `${integration('broken', 'post')}\\/requestTemplates\\/application~1json: expected a mapping template that parses; line 3 of the template: `,
        ),
        new RegExp(
          `${integration('broken', 'post')}\\/responses\\/default\\/responseTemplates\\/application~1json: expected a mapping template that parses; line 3 of the template`,
        ),
        new RegExp(
          `${integration('broken', 'post')}\\/responses\\/\\(\\?<=x\\)y: expected a selection pattern \\(Java regular expression\\) that RE2 runs`,
        ),
        new RegExp(
          `${integration('params', 'get')}\\/requestParameters\\/integration\\.response\\.header\\.X: expected a key of the form integration\\.request\\.\\{header\\|querystring\\|path\\}\\.NAME`,
        ),
        new RegExp(
          `${integration('params', 'get')}\\/passthroughBehavior: expected WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER \\(any case\\), found sometimes`,
        ),
        new RegExp(
          `${integration('s3', 'get')}\\/uri: expected a Lambda invoke URI .*; integrations with other AWS services are not supported`,
        ),
        new RegExp(
          `${integration('s3', 'get')}\\/httpMethod: expected POST \\(Lambda is invoked with POST\\), found GET`,
        ),
        /\/paths\/~1validated\/post\/x-amazon-apigateway-request-validator: expected the name of a validator in x-amazon-apigateway-request-validators; 'nope' is not defined/,
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

  test('mapping expressions the document reader accepts but API Gateway does not are refused at compile', async () => {
    const api = await tempApi(
      openapi({
        '/params': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              requestParameters: { 'integration.request.querystring.q': 'method.request.nowhere.q' },
              responses: {
                default: { statusCode: '200', responseParameters: { 'method.response.header.Y': 'body.z' } },
              },
            },
          },
        },
      }),
    )
    try {
      const run = await runCli(['serve', '--api', api.apiFile])
      assert.equal(run.code, 1, run.stderr)
      assert.match(
        run.stderr,
        /\/paths\/~1params\/get\/x-amazon-apigateway-integration\/requestParameters\/integration\.request\.querystring\.q: expected 'literal', method\.request\.\*, context\.\*, or stageVariables\.\*, found method\.request\.nowhere\.q/,
      )
      assert.match(
        run.stderr,
        /\/responses\/default\/responseParameters\/method\.response\.header\.Y: expected 'literal', integration\.response\.header\.\*, integration\.response\.body\[\.path\], context\.\*, or stageVariables\.\*, found body\.z/,
      )
    } finally {
      await api.remove()
    }
  })

  test('HTTP APIs have no non-proxy integrations', async () => {
    const api = await tempApi(
      openapi(
        { '/m': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
        { 'x-amazon-apigateway-importexport-version': '1.0' },
      ),
    )
    try {
      const run = await runCli(['serve', '--api', api.apiFile])
      assert.equal(run.code, 1)
      assert.match(
        run.stderr,
        /type: expected aws_proxy or http_proxy: HTTP APIs have no 'mock' \(non-proxy\) integrations/,
      )
    } finally {
      await api.remove()
    }
  })
})

describe('the route table and explain show the mapping', () => {
  let gw: ServingCli
  before(async () => {
    gw = await serveCli(['--api', LAMBDA_API, '--functions', FUNCTIONS])
  })
  after(() => gw.stop())

  test('the start-up route table lists each route templates', () => {
    assert.match(
      gw.output(),
      /POST \/\{city\}\s+receive → route → integrate\[lambda GetStartedLambdaIntegration .*mapping templates/,
    )
    assert.match(gw.output(), /request templates: application\/json \(passthrough WHEN_NO_TEMPLATES\)/)
    assert.match(gw.output(), /response default → 200: templates none/)
    assert.match(gw.output(), /response Malformed\.\* → 400: templates application\/json/)
  })

  test('explain shows the chosen template and the rendered integration request, calling nothing', async () => {
    const run = await runCli([
      'explain',
      '--api',
      LAMBDA_API,
      '--functions',
      FUNCTIONS,
      '--json',
      '--request',
      'POST /Seattle?time=morning',
      '-H',
      'day: Wednesday',
      '-H',
      'content-type: application/json',
    ])
    assert.equal(run.code, 0, run.stderr)
    const [explained] = JSON.parse(run.stdout) as {
      steps: { step: string; detail: Record<string, unknown> }[]
    }[]
    const mapping = explained!.steps.find((s) => s.step === 'mapping')?.detail
    assert.ok(mapping, run.stdout)
    assert.equal(mapping.template, 'application/json')
    const request = mapping.integrationRequest as { body: string }
    assert.deepEqual(JSON.parse(request.body), {
      city: 'Seattle',
      time: 'morning',
      day: 'Wednesday',
      name: '',
    })
    assert.deepEqual(mapping.integrationResponses, ['default → 200', 'Malformed.* → 400'])
    assert.equal(mapping.called, false)
  })

  test('explain on a mock says which integration response matched and why', async () => {
    const run = await runCli([
      'explain',
      '--api',
      'test/fixtures/mapping-templates/petstore.json',
      '--json',
      '--request',
      'OPTIONS /pets',
    ])
    assert.equal(run.code, 0, run.stderr)
    const [explained] = JSON.parse(run.stdout) as {
      status: number
      steps: { step: string; detail: Record<string, unknown> }[]
    }[]
    const mapping = explained!.steps.find((s) => s.step === 'mapping')?.detail
    assert.ok(mapping, run.stdout)
    assert.equal(mapping.integrationResponse, 'default → 200: no selection pattern matched "200"')
    assert.equal(explained!.status, 200)
  })
})
