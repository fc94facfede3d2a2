/**
 * A Swagger 2.0 export (`aws apigateway get-export --export-type swagger --extensions
 * apigateway`) serves exactly what its OpenAPI 3 twin serves: a Lambda proxy route behind a
 * TOKEN authorizer, a Lambda custom integration with mapping templates whose body model is
 * checked by a request validator, a CORS mock and a gateway response. A SAM template's
 * Swagger 2.0 DefinitionBody is served too, and what cannot be served is named where written.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { tempApi } from '../helpers/temp-api.ts'

const fixture = (name: string): string => new URL(`../fixtures/swagger2/${name}`, import.meta.url).pathname
const HEADERS = [
  'content-type',
  'www-authenticate',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'x-amzn-errortype',
]

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | null>
  readonly body: unknown
}

async function ask(gateway: Gateway, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${gateway.url}${path}`, init)
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return {
    status: res.status,
    headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])),
    body,
  }
}

describe('a Swagger 2.0 export served over HTTP, answer for answer as its OpenAPI 3 twin', () => {
  let swagger: Gateway
  let oas3: Gateway
  before(async () => {
    const start = (file: string) =>
      startGateway({ apiFile: fixture(file), port: 0, logger: createLogger('silent') })
    swagger = await start('petstore-swagger.json')
    oas3 = await start('petstore-oas3.json')
  })
  after(async () => {
    await swagger?.close()
    await oas3?.close()
  })

  /** The Swagger document's answer, once checked to be the OpenAPI 3 twin's. */
  async function both(path: string, init?: () => RequestInit): Promise<Answer> {
    const fromSwagger = await ask(swagger, path, init?.())
    assert.deepEqual(fromSwagger, await ask(oas3, path, init?.()))
    return fromSwagger
  }
  const bearer = (name: string) => () => ({ headers: { authorization: `Bearer ${name}` } })
  const post = (body: unknown) => () => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

  test('the Lambda proxy route runs behind the TOKEN authorizer of securityDefinitions', async () => {
    const res = await both('/pets?type=dog', bearer('ann'))
    assert.equal(res.status, 200)
    assert.deepEqual(res.body, {
      resource: '/pets',
      path: '/pets',
      pathParameters: null,
      query: { type: 'dog' },
      principalId: 'ann',
      pets: [{ id: 1, type: 'dog', price: 249.99 }],
    })
    const one = await both('/pets/7', bearer('bob'))
    assert.deepEqual((one.body as { pathParameters: unknown }).pathParameters, { petId: '7' })
  })

  test('no token is the gateway response UNAUTHORIZED as customised; a denying policy is 403', async () => {
    const none = await both('/pets')
    assert.equal(none.status, 401)
    assert.equal(none.headers['www-authenticate'], 'Bearer')
    assert.deepEqual(none.body, { message: 'Unauthorized' })
    const denied = await both('/pets', bearer('deny'))
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.body, {
      Message: 'User is not authorized to access this resource with an explicit deny',
    })
  })

  test('the body parameter is the model the request validator checks; the templates map both ways', async () => {
    const added = await both('/pets?store=north', post({ type: 'cat', price: 99.5 }))
    assert.equal(added.status, 200)
    assert.equal(added.headers['access-control-allow-origin'], '*')
    assert.deepEqual(added.body, { pet: { id: 7, type: 'cat', price: 99.5 }, message: 'added to north' })
    const cheap = await both('/pets?store=north', post({ type: 'cat', price: 10 }))
    assert.equal(cheap.status, 400)
    assert.deepEqual(cheap.body, { message: 'Invalid request body' })
    const unknownType = await both('/pets?store=north', post({ type: 'dragon', price: 100 }))
    assert.equal(unknownType.status, 400)
    const noStore = await both('/pets', post({ type: 'cat', price: 99.5 }))
    assert.equal(noStore.status, 400)
    assert.deepEqual(noStore.body, { message: 'Missing required request parameters: [store]' })
    const soldOut = await both('/pets?store=north', post({ type: 'gecko', price: 30 }))
    assert.equal(soldOut.status, 400)
    assert.deepEqual(soldOut.body, { message: 'Sold out: no gecko left' })
  })

  test('the OPTIONS mock answers the CORS preflight', async () => {
    const res = await both('/pets', () => ({
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    }))
    assert.equal(res.status, 200)
    assert.equal(res.headers['access-control-allow-origin'], '*')
    assert.equal(res.headers['access-control-allow-methods'], 'GET,POST,OPTIONS')
    assert.equal(
      res.headers['access-control-allow-headers'],
      'Content-Type,Authorization,X-Amz-Date,X-Api-Key',
    )
  })

  test('basePath is not a prefix of the routes (API Gateway imports with basepath=ignore)', async () => {
    const res = await both('/test/pets', bearer('ann'))
    assert.equal(res.status, 403)
    assert.deepEqual(res.body, { message: 'Missing Authentication Token' })
  })
})

describe('a SAM template whose DefinitionBody is Swagger 2.0', () => {
  let gateway: Gateway
  before(async () => {
    gateway = await startGateway({
      apiFile: 'test/fixtures/sam/swagger-definition-body/template.yaml',
      apiFormat: 'sam',
      port: 0,
      logger: createLogger('silent'),
    })
  })
  after(() => gateway?.close())

  test("the !Sub integration and authorizer URIs name the template's functions; basePath is no prefix", async () => {
    const res = await fetch(`${gateway.url}/pets/rex`, { headers: { authorization: 'ann' } })
    assert.equal(res.status, 200)
    const body = (await res.json()) as Record<string, string>
    assert.equal(body.name, 'rex')
    assert.equal(body.stage, 'v1')
    assert.equal(body.path, '/pets/rex')
    assert.equal(body.principalId, 'ann')
    assert.match(String(body.functionName), /PetsFunction/)
    assert.equal((await fetch(`${gateway.url}/pets/rex`)).status, 401)
    assert.equal((await fetch(`${gateway.url}/pets/rex`, { headers: { authorization: 'deny' } })).status, 403)
    assert.equal(
      (await fetch(`${gateway.url}/v1/pets/rex`, { headers: { authorization: 'ann' } })).status,
      403,
    )
  })

  test('the body parameter is validated against its definition', async () => {
    const post = (body: unknown) =>
      fetch(`${gateway.url}/pets/rex`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const ok = await post({ price: 5 })
    assert.equal(ok.status, 200)
    assert.equal(((await ok.json()) as { body: string }).body, '{"price":5}')
    const bad = await post({ price: 0 })
    assert.equal(bad.status, 400)
    assert.deepEqual(await bad.json(), { message: 'Invalid request body' })
  })
})

describe('a Swagger 2.0 document that cannot be served', () => {
  const start = async (document: string): Promise<string> => {
    const api = await tempApi(document)
    try {
      const gateway = await startGateway({ apiFile: api.apiFile, port: 0, logger: createLogger('silent') })
      await gateway.close()
      return 'started'
    } catch (err) {
      return (err as Error).message.replaceAll(api.apiFile, 'openapi.json')
    } finally {
      await api.remove()
    }
  }
  const lines = (...l: string[]) => `${l.join('\n')}\n`
  const mock =
    '"x-amazon-apigateway-integration": {"type": "mock", "requestTemplates": {"application/json": "{\\"statusCode\\": 200}"}}'

  test("a SAM DefinitionUri's Swagger 2.0 file: its problems at its own file and line", async () => {
    const api = await tempApi({})
    try {
      await api.file(
        'swagger.yaml',
        lines(
          "swagger: '2.0'",
          'paths:',
          '  /pets:',
          '    post:',
          '      parameters:',
          '        - { in: body, name: Pet, schema: { $ref: "#/definitions/Pet" } }',
          '        - { in: body, name: Other, schema: { type: object } }',
          '      x-amazon-apigateway-integration:',
          '        type: mock',
          '        timeoutInMilis: 100',
          'definitions:',
          '  Pet: { type: object }',
        ),
      )
      const template = await api.file(
        'template.yaml',
        lines(
          'Transform: AWS::Serverless-2016-10-31',
          'Resources:',
          '  Api:',
          '    Type: AWS::Serverless::Api',
          '    Properties:',
          '      StageName: v1',
          '      DefinitionUri: swagger.yaml',
        ),
      )
      const message = await startGateway({
        apiFile: template,
        apiFormat: 'sam',
        port: 0,
        logger: createLogger('silent'),
      }).then(
        async (gateway) => {
          await gateway.close()
          return 'started'
        },
        (err: Error) => err.message.replaceAll(api.dir, '.'),
      )
      assert.equal(
        message,
        [
          './swagger.yaml:7: /paths/~1pets/post/parameters/1: expected at most one body parameter per operation',
          './swagger.yaml:10: /paths/~1pets/post/x-amazon-apigateway-integration/timeoutInMilis: is not a field of x-amazon-apigateway-integration (did you mean `timeoutInMillis`?)',
        ].join('\n'),
      )
    } finally {
      await api.remove()
    }
  })

  test('an oauth2 security definition on a route is named where it is written', async () => {
    const message = await start(
      lines(
        '{"swagger": "2.0",',
        ' "paths": {"/pets": {"get": {"security": [{"petstore_auth": ["read"]}],',
        `   ${mock}}}},`,
        ' "securityDefinitions": {',
        '   "petstore_auth": {"type": "oauth2", "flow": "implicit",',
        '     "authorizationUrl": "https://auth.example/authorize", "scopes": {"read": "read pets"}}}}',
      ),
    )
    assert.equal(
      message,
      "openapi.json:5: /securityDefinitions/petstore_auth: scheme 'petstore_auth' has no x-amazon-apigateway-authorizer object; only API Gateway authorizers (and x-forcegate extensions) are enforced",
    )
  })

  test("a typo in a security definition's authorizer: file, line and pointer as written", async () => {
    const message = await start(
      lines(
        '{"swagger": "2.0",',
        ' "paths": {"/pets": {"get": {"security": [{"auth": []}],',
        `   ${mock}}}},`,
        ' "securityDefinitions": {"auth": {"type": "apiKey", "name": "Authorization", "in": "header",',
        '   "x-amazon-apigateway-authorizer": {"type": "token",',
        '     "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:auth/invocations",',
        '     "authorizerResultTtlInSecond": 60}}}}',
      ),
    )
    assert.match(
      message,
      /^openapi\.json:7: \/securityDefinitions\/auth\/x-amazon-apigateway-authorizer\/authorizerResultTtlInSecond: is not a field of x-amazon-apigateway-authorizer \(did you mean `authorizerResultTtlInSeconds`\?\)/,
    )
  })
})
