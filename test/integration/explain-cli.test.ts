import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runCli } from '../helpers/cli-process.ts'
import { lambdaOp, lambdaUri, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const API = 'examples/token-authorizer/openapi.yaml'

test('explain shows the route, the hashed identity, the cache and the deciding statement', async () => {
  const run = await runCli([
    'explain',
    '--api',
    API,
    '--request',
    'GET /pets',
    '--request',
    'GET /owners/1',
    '-H',
    'Authorization: Bearer allow-ann',
  ])
  assert.equal(run.code, 0, run.stderr)
  const [first, second] = run.stdout.split('\n\n')
  assert.match(first!, /route\s+routeKey=GET \/pets/)
  assert.match(first!, /cache=miss\s+invoked=true/)
  assert.match(first!, /statementIndex=0/)
  assert.match(first!, /decision\s+200 allowed/)
  assert.match(second!, /routeKey=GET \/owners\/\{ownerId\}/)
  assert.match(second!, /arn=arn:aws:execute-api:us-east-1:123456789012:forcegate0\/dev\/GET\/owners\/1/)
  assert.match(second!, /cache=hit\s+invoked=false\s+outcome=deny/)
  assert.match(second!, /hint .*result cache/)
  assert.match(second!, /decision\s+403 ACCESS_DENIED \(GW_ACCESS_DENIED, policy\.deny\.implicit\)/)
  assert.equal(run.stdout.includes('allow-ann'), false, 'the token itself never appears')
})

test('explain --json, a missing identity (not invoked) and an unknown route', async () => {
  const run = await runCli([
    'explain',
    '--api',
    API,
    '--json',
    '--request',
    'GET /pets',
    '--request',
    'DELETE /pets',
  ])
  assert.equal(run.code, 0, run.stderr)
  const [missing, unknown] = JSON.parse(run.stdout) as {
    status: number
    outcome: string
    steps: { step: string; detail: Record<string, unknown> }[]
  }[]
  assert.equal(missing!.status, 401)
  assert.match(missing!.outcome, /identity\.missing/)
  const auth = missing!.steps.find((s) => s.step === 'authorize')
  assert.equal(auth?.detail.invoked, false)
  assert.equal(unknown!.status, 403)
  assert.match(unknown!.outcome, /MISSING_AUTHENTICATION_TOKEN/)
})

test('explain without a request is a usage error', async () => {
  const run = await runCli(['explain', '--api', API])
  assert.equal(run.code, 2)
  assert.match(run.stderr, /at least one --request/)
})

test('explain names the statement and the Condition key that decided', async () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: '*/*/GET/office',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
      {
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: '*/*/GET/anywhere',
        Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
      {
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blocked' } },
      },
    ],
  }
  const api = await tempApi(
    openapi(
      {
        '/office': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } },
        '/anywhere': { get: { ...lambdaOp('ok'), security: [{ bearer: [] }] } },
      },
      {
        components: {
          securitySchemes: {
            bearer: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: lambdaUri('conditional') },
            },
          },
        },
      },
    ),
    {
      'conditional.mjs': `export const handler = async () => ({ principalId: 'u', policyDocument: ${JSON.stringify(policy)} })\n`,
      'ok.mjs': `export const handler = async () => ({ statusCode: 200, body: 'ok' })\n`,
    },
  )
  try {
    const run = await runCli([
      'explain',
      '--api',
      api.apiFile,
      '--request',
      'GET /office',
      '--request',
      'GET /anywhere',
      '-H',
      'Authorization: Bearer t',
    ])
    assert.equal(run.code, 0, run.stderr)
    const [office, anywhere] = run.stdout.split('\n\n')
    assert.match(
      office!,
      /condition\s+statement=0\s+effect=Allow\s+applies=false\s+keys=\["IpAddress aws:SourceIp: not satisfied"\]/,
    )
    assert.match(
      office!,
      /condition\s+statement=2\s+effect=Deny\s+applies=false\s+keys=\["StringEquals aws:PrincipalTag\/team: not satisfied \(not in the request: IAM absent-key rule\)"\]/,
    )
    assert.match(office!, /decision\s+403 ACCESS_DENIED/)
    assert.match(
      anywhere!,
      /condition\s+statement=1\s+effect=Allow\s+applies=true\s+keys=\["NotIpAddress aws:SourceIp: satisfied"\]/,
    )
    assert.match(anywhere!, /decision\s+200 allowed/)
  } finally {
    await api.remove()
  }
})
