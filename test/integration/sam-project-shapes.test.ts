import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { readApiSource } from '../../src/config/serverless/read-api-source.ts'
import { loadSourceDocument } from '../../src/config/source-document.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'

const FIXTURES = 'test/fixtures/sam'

async function serve(folder: string, warnings: string[] = []): Promise<Gateway> {
  const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) })
  return startGateway({ apiFile: `${FIXTURES}/${folder}/template.yaml`, apiFormat: 'sam', port: 0, logger })
}

const json = async (res: Response): Promise<Record<string, unknown>> =>
  JSON.parse(await res.text()) as Record<string, unknown>

const preflight = (url: string, method: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': method },
  })

describe('a template in the shape sam init writes: implicit API, esbuild TypeScript, Globals.Api.Cors', () => {
  let gateway: Gateway
  const warnings: string[] = []
  before(async () => {
    // What !GetAtt GreetingsTable.StreamArn would be on AWS, from forcegate's environment.
    process.env.GREETINGS_STREAM = 'stream-from-env'
    gateway = await serve('project-shapes', warnings)
  })
  after(() => gateway.close())

  test('Handler app.lambdaHandler with BuildMethod esbuild and EntryPoints src/app.ts runs the TypeScript entry point', async () => {
    const res = await fetch(`${gateway.url}/greetings/ada`, { method: 'PUT' })
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), {
      resource: '/greetings/{name}',
      method: 'PUT',
      name: 'ada',
      stage: 'Prod',
      table: 'GreetingsTable',
      stream: 'stream-from-env',
      topic: null,
    })
    assert.match(
      warnings.join(''),
      /\/Resources\/GreetingsFunction\/Properties\/Environment\/Variables\/GREETINGS_TOPIC\/Fn::GetAtt: only a function's or a role's Arn can be resolved locally/,
    )
  })

  test("an environment variable naming a deployed resource's attribute takes forcegate's own value when set", () => {
    assert.doesNotMatch(warnings.join(''), /GREETINGS_STREAM/)
  })

  test('functions the API does not need are named, not fatal: another runtime, InlineCode; layers are named', () => {
    const text = warnings.join('')
    assert.match(
      text,
      /\/Resources\/ArchiveFunction\/Properties\/Runtime: expected a Node\.js runtime .*found 'python3\.12'.*served without it/,
    )
    assert.match(text, /\/Resources\/WarmupFunction\/Properties\/InlineCode: InlineCode is not run/)
    assert.match(text, /\/Resources\/GreetingsFunction\/Properties\/Layers: layers are not mounted locally/)
    assert.match(
      text,
      /\/Resources\/GreetingsFunction\/Properties\/FunctionUrlConfig: function URLs are not served/,
    )
    assert.match(text, /\/Resources\/ArchiveQueue: AWS::SQS::Queue resources are not created locally/)
  })

  test('Cors adds an OPTIONS mock per path: the quoted values, the path methods and OPTIONS (all of them for ANY)', async () => {
    const list = await preflight(`${gateway.url}/greetings`, 'GET')
    assert.equal(list.status, 200)
    assert.equal(list.headers.get('access-control-allow-origin'), 'https://app.example.com')
    assert.equal(list.headers.get('access-control-allow-methods'), 'GET,OPTIONS')
    assert.equal(list.headers.get('access-control-allow-headers'), 'Content-Type,X-Request-Id')
    assert.equal(list.headers.get('access-control-max-age'), '600')
    assert.equal(list.headers.get('access-control-allow-credentials'), null)
    const one = await preflight(`${gateway.url}/greetings/ada`, 'DELETE')
    assert.equal(one.headers.get('access-control-allow-methods'), 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT')
  })

  test("as on AWS, Cors does not touch the function's own responses: they carry only the headers it sets", async () => {
    const res = await fetch(`${gateway.url}/greetings`, { headers: { origin: 'https://app.example.com' } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('access-control-allow-origin'), null)
  })
})

describe('Cors with a DefaultAuthorizer (its authorizer in Globals.Api.Auth, merged with the API Auth)', () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('cors-auth')
  })
  after(() => gateway.close())

  test('SAM adds the DefaultAuthorizer to the preflight (AddDefaultAuthorizerToCorsPreflight defaults to true): without a token it is 401', async () => {
    const anonymous = await preflight(`${gateway.url}/notes`, 'POST')
    assert.equal(anonymous.status, 401)
    assert.deepEqual(await json(anonymous), { message: 'Unauthorized' })
    const signed = await fetch(`${gateway.url}/notes`, {
      method: 'OPTIONS',
      headers: { authorization: 'Bearer notes', origin: 'https://app.example.com' },
    })
    assert.equal(signed.status, 200)
    assert.equal(signed.headers.get('access-control-allow-origin'), '*')
    assert.equal(signed.headers.get('access-control-allow-methods'), 'OPTIONS,POST')
  })
})

test("an HTTP API authorizer's AuthorizationScopes are the scopes of the routes that give none; FunctionInvokeRole is not resolved", async () => {
  const source = await readApiSource(`${FIXTURES}/http-api-scopes/template.yaml`, 'sam', {
    readText: async (file) => (await import('node:fs/promises')).readFile(file, 'utf8'),
    loadDocument: loadSourceDocument,
    env: {},
    stage: undefined,
  })
  assert.deepEqual(source.api.problems, [])
  const scopes = Object.fromEntries(
    source.api.routes.map((r) => [`${r.method} ${r.resourcePath}`, r.security[0]?.[0]?.scopes ?? null]),
  )
  assert.deepEqual(scopes, {
    'GET /reports': ['reports:read'],
    'POST /reports': ['reports:write'],
    'GET /status': null,
    'POST /exports': [],
  })
  const keyCheck = source.api.securitySchemes.get('KeyCheck')?.raw['x-amazon-apigateway-authorizer'] as
    | Record<string, unknown>
    | undefined
  assert.equal(keyCheck?.authorizerPayloadFormatVersion, '2.0', 'an unquoted 2.0 is the number 2 in YAML')
})

test('a ResourcePolicy, Authorizer: AWS_IAM and a definition in S3 are start-up errors naming their pointers', async () => {
  await assert.rejects(serve('refused'), (err: unknown) => {
    const text = err instanceof Error ? err.message : String(err)
    assert.match(
      text,
      /\/Resources\/InternalApi\/Properties\/DefinitionUri: expected a file beside the template \(S3 locations are not read\)/,
    )
    assert.match(
      text,
      /template\.yaml:\d+: \/Resources\/InternalApi\/Properties\/Auth\/ResourcePolicy: resource policies are not enforced yet/,
    )
    assert.match(
      text,
      /\/Resources\/AuditFunction\/Properties\/Events\/Read\/Properties\/Auth\/Authorizer: IAM authorization \(AWS_IAM\) is not supported yet/,
    )
    return true
  })
})

describe("Auth.ApiKeyRequired: the API's AWS::ApiGateway::ApiKey values in x-api-key", () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('api-keys')
  })
  after(() => gateway.close())

  test("every method of the API needs a key (403 Forbidden without) unless its event's Auth.ApiKeyRequired is false; StageName: !Ref a parameter", async () => {
    const none = await fetch(`${gateway.url}/shipments`)
    assert.equal(none.status, 403)
    assert.deepEqual(await json(none), { message: 'Forbidden' })
    const keyed = await fetch(`${gateway.url}/shipments`, {
      headers: { 'x-api-key': 'sam-partner-key-0123456789' },
    })
    assert.equal(keyed.status, 200)
    assert.deepEqual(await json(keyed), { resource: '/shipments', stage: 'v2' })
    const ping = await fetch(`${gateway.url}/ping`)
    assert.equal(ping.status, 200)
  })

  test('AddApiKeyRequiredToCorsPreflight (true unless set false) puts the key on the preflights SAM adds', async () => {
    const anonymous = await fetch(`${gateway.url}/shipments`, { method: 'OPTIONS' })
    assert.equal(anonymous.status, 403)
    const keyed = await fetch(`${gateway.url}/shipments`, {
      method: 'OPTIONS',
      headers: { 'x-api-key': 'sam-partner-key-0123456789' },
    })
    assert.equal(keyed.status, 200)
    assert.equal(keyed.headers.get('access-control-allow-origin'), 'https://partner.example.com')
  })
})

describe('DefinitionBody: Fn::Transform AWS::Include of a file beside the template', () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('include')
  })
  after(() => gateway.close())

  test("the included definition is served, its intrinsics resolved (a function's Arn, a role's Arn as credentials)", async () => {
    const res = await fetch(`${gateway.url}/stock/ab-12`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), { sku: 'ab-12', stage: 'stock' })
  })
})

test("what an included definition cannot resolve is named at the included file's line", async () => {
  await assert.rejects(serve('include-broken'), (err: unknown) => {
    const text = err instanceof Error ? err.message : String(err)
    assert.match(
      text,
      /broken-api\.yaml:12: \/paths\/~1stock\/get\/x-amazon-apigateway-integration\/uri\/Fn::GetAtt: only a function's or a role's Arn can be resolved locally, not Ledger\.StreamArn/,
    )
    return true
  })
})

describe("an Api event's RequestModel and RequestParameters", () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('request-models')
  })
  after(() => gateway.close())

  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${gateway.url}/signups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })

  test("ValidateParameters: a Required parameter missing is API Gateway's 400 before the function", async () => {
    const res = await post({}, '{"email":"a@example.com"}')
    assert.equal(res.status, 400)
    assert.deepEqual(await json(res), { message: 'Missing required request parameters: [X-Tenant]' })
  })

  test("ValidateBody: a body the API's model refuses is 400 Invalid request body; a valid one reaches the function", async () => {
    const invalid = await post({ 'x-tenant': 'acme' }, '{}')
    assert.equal(invalid.status, 400)
    assert.deepEqual(await json(invalid), { message: 'Invalid request body' })
    const valid = await post({ 'x-tenant': 'acme' }, '{"email":"a@example.com"}')
    assert.equal(valid.status, 200)
  })

  test('without ValidateBody or ValidateParameters SAM deploys no validator: a Required parameter is not checked', async () => {
    const res = await fetch(`${gateway.url}/signups/7`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), { resource: '/signups/{id}' })
  })
})

describe('a template with two APIs', () => {
  after(() => {
    delete process.env.FORCEGATE_SAM_API
  })

  test('start-up names them and how to pick one', async () => {
    await assert.rejects(serve('two-apis'), (err: unknown) => {
      const text = err instanceof Error ? err.message : String(err)
      assert.match(
        text,
        /\/Resources: expected one API, found PartnerApi, WebApi: .*FORCEGATE_SAM_API=PartnerApi/,
      )
      return true
    })
  })

  test('FORCEGATE_SAM_API=WebApi serves that one, naming the other', async () => {
    process.env.FORCEGATE_SAM_API = 'WebApi'
    const warnings: string[] = []
    const gateway = await serve('two-apis', warnings)
    try {
      assert.match(warnings.join(''), /serving WebApi \(FORCEGATE_SAM_API\); PartnerApi not served/)
      const res = await fetch(`${gateway.url}/orders`)
      assert.deepEqual(await json(res), { version: '2.0' })
    } finally {
      await gateway.close()
    }
  })
})
