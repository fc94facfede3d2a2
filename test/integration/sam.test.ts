import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ConfigErrors } from '../../src/errors/config-error.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { serveCli } from '../helpers/cli-process.ts'

const FIXTURES = 'test/fixtures/sam'

async function serve(folder: string, warnings: string[] = []): Promise<Gateway> {
  const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) })
  return startGateway({ apiFile: `${FIXTURES}/${folder}/template.yaml`, apiFormat: 'sam', port: 0, logger })
}

const json = async (res: Response): Promise<Record<string, unknown>> =>
  JSON.parse(await res.text()) as Record<string, unknown>

describe('a SAM template with an AWS::Serverless::Api and Api events', () => {
  let gateway: Gateway
  const warnings: string[] = []
  before(async () => {
    gateway = await serve('rest-api', warnings)
  })
  after(() => gateway.close())

  test('other resources and event types are named at start-up, not served and not fatal', () => {
    const text = warnings.join('')
    assert.match(
      text,
      /template\.yaml:\d+: \/Resources\/OrdersTable: AWS::DynamoDB::Table resources are not created locally/,
    )
    assert.match(
      text,
      /\/Resources\/OrdersFunction\/Properties\/Events\/Nightly: Schedule events are not triggered/,
    )
  })

  test("Authorizer: NONE opts out of the DefaultAuthorizer; the event sees the API's StageName", async () => {
    const res = await fetch(`${gateway.url}/health`)
    assert.equal(res.status, 200)
    const body = await json(res)
    assert.equal(body.stage, 'prod')
    assert.equal(body.resource, '/health')
    assert.equal(body.principalId, null)
  })

  test("the DefaultAuthorizer guards the rest: its Identity.Header is the token's source, !GetAtt names the function", async () => {
    const none = await fetch(`${gateway.url}/orders/1`, { headers: { authorization: 'allow' } })
    assert.equal(none.status, 401, 'the token is read from X-Token, not Authorization')
    assert.deepEqual(await json(none), { message: 'Unauthorized' })
    const res = await fetch(`${gateway.url}/orders/1`, { headers: { 'x-token': 'allow' } })
    assert.equal(res.status, 200)
    assert.equal((await json(res)).principalId, 'user-7')
  })

  test('a REQUEST authorizer with Identity Headers and QueryStrings: 401 while one is missing, the function decides when both are there', async () => {
    const noKey = await fetch(`${gateway.url}/tenants/t1`, { headers: { 'x-tenant': 'acme' } })
    assert.equal(noKey.status, 401)
    const noHeader = await fetch(`${gateway.url}/tenants/t1?key=open`)
    assert.equal(noHeader.status, 401)
    const wrong = await fetch(`${gateway.url}/tenants/t1?key=shut`, { headers: { 'x-tenant': 'acme' } })
    assert.equal(wrong.status, 401, 'the function threw Unauthorized')
    const res = await fetch(`${gateway.url}/tenants/t1?key=open`, { headers: { 'x-tenant': 'acme' } })
    assert.equal(res.status, 200)
    assert.equal((await json(res)).principalId, 'user-7')
  })

  test('intrinsics resolve locally: !Sub with AWS::StackName, !Ref of a parameter and a resource, !GetAtt of a function', async () => {
    const res = await fetch(`${gateway.url}/health`)
    const body = await json(res)
    assert.equal(body.functionName, 'local-orders')
    assert.equal(body.greeting, 'hello', "the parameter's Default, through Globals")
    assert.equal(body.table, 'OrdersTable', 'a resource that is not created: its logical ID')
    assert.equal(body.self, 'arn:aws:lambda:us-east-1:000000000000:function:local-orders')
  })
})

describe('a SAM template with an AWS::Serverless::HttpApi and HttpApi events', () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('http-api')
  })
  after(() => gateway.close())

  test('an HttpApi event is a payload 2.0 route on $default; PayloadFormatVersion 1.0 gives the REST-shaped event', async () => {
    const res = await fetch(`${gateway.url}/items`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), {
      version: '2.0',
      routeKey: 'GET /items',
      httpMethod: null,
      stage: '$default',
      authorizer: null,
    })
    const legacy = await json(await fetch(`${gateway.url}/legacy`, { method: 'DELETE' }))
    assert.equal(legacy.httpMethod, 'DELETE')
    assert.equal(legacy.routeKey, null, 'payload 1.0 has no top-level routeKey')
  })

  test('a TypeScript Lambda authorizer with simple responses: 401 without X-Api-Key, 403 refused, its context when allowed', async () => {
    const none = await fetch(`${gateway.url}/items`, { method: 'POST' })
    assert.equal(none.status, 401)
    const bad = await fetch(`${gateway.url}/items`, { method: 'POST', headers: { 'x-api-key': 'nope' } })
    assert.equal(bad.status, 403)
    assert.deepEqual(await json(bad), { message: 'Forbidden' })
    const good = await fetch(`${gateway.url}/items`, { method: 'POST', headers: { 'x-api-key': 'good-key' } })
    assert.equal(good.status, 200)
    assert.deepEqual((await json(good)).authorizer, { lambda: { plan: 'pro' } })
  })

  test('CorsConfiguration answers preflights itself: 204, its headers only for an allowed origin', async () => {
    const ok = await fetch(`${gateway.url}/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    })
    assert.equal(ok.status, 204)
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example.com')
    assert.equal(ok.headers.get('access-control-allow-methods'), 'GET,POST')
    assert.equal(ok.headers.get('access-control-max-age'), '600')
    const other = await fetch(`${gateway.url}/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    })
    assert.equal(other.status, 204)
    assert.equal(other.headers.get('access-control-allow-origin'), null)
  })
})

test('forcegate serve --sam: an inline DefinitionBody whose integration URI is a !Sub of the function ARN', async () => {
  const cli = await serveCli(['--sam', `${FIXTURES}/definition-body/template.yaml`])
  try {
    assert.match(
      cli.output(),
      /local test\/fixtures\/sam\/definition-body\/src\/pets\.mjs handler/,
      'the route table names the module',
    )
    const res = await fetch(`${cli.url}/pets/rex`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), { name: 'rex', stage: 'v1', functionName: 'PetsFunction' })
  } finally {
    await cli.stop()
  }
})

test("a DefinitionUri document beside the template, with the events' routes added; a JWT authorizer guards its event", async () => {
  const gateway = await serve('definition-uri')
  try {
    const res = await fetch(`${gateway.url}/hello/ada`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), { hello: 'ada', routeKey: 'GET /hello/{name}' })
    const secret = await fetch(`${gateway.url}/secret`)
    assert.equal(secret.status, 401)
    assert.deepEqual(await json(secret), { message: 'Unauthorized' })
  } finally {
    await gateway.close()
  }
})

test('a parameter takes FORCEGATE_PARAMETER_<Name> from the environment over its Default', async () => {
  process.env.FORCEGATE_PARAMETER_Greeting = 'bonjour'
  let gateway: Gateway | undefined
  try {
    gateway = await serve('rest-api')
    assert.equal((await json(await fetch(`${gateway.url}/health`))).greeting, 'bonjour')
  } finally {
    delete process.env.FORCEGATE_PARAMETER_Greeting
    await gateway?.close()
  }
})

test('what a template asks that cannot be honoured is all reported in one run, with lines and pointers', async () => {
  await assert.rejects(serve('unsupported'), (err: unknown) => {
    assert.ok(err instanceof ConfigErrors, String(err))
    const text = err.message
    assert.match(
      text,
      /template\.yaml:16: \/Resources\/Api\/Properties\/Auth\/Authorizers\/Pool: Cognito authorizers are not supported/,
    )
    assert.match(
      text,
      /\/Resources\/Api\/Properties\/Auth\/Authorizers\/Token\/FunctionArn\/Fn::GetAtt: only a function's or a role's Arn can be resolved locally, not Table\.Arn/,
    )
    assert.match(text, /template\.yaml:23: \/Resources\/Fn\/Properties\/Runtime: expected a Node\.js runtime/)
    assert.match(
      text,
      /\/Resources\/Fn\/Properties\/Events\/Get\/Properties\/Auth\/Authorizer: expected the name of an authorizer/,
    )
    return true
  })
})

test('an unknown YAML tag is a start-up error at its line', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const dir = await mkdtemp(join(tmpdir(), 'sam-'))
  try {
    await writeFile(join(dir, 'template.yaml'), 'Resources:\n  X:\n    Type: !Bogus thing\n')
    await assert.rejects(
      startGateway({
        apiFile: join(dir, 'template.yaml'),
        apiFormat: 'sam',
        port: 0,
        logger: createLogger('silent'),
      }),
      /template\.yaml:3: Unresolved tag: !Bogus \(not a CloudFormation function\)/,
    )
  } finally {
    await rm(dir, { recursive: true })
  }
})
