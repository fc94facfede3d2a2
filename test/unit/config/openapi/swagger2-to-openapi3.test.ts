/**
 * Swagger 2.0 read as the OpenAPI 3 document API Gateway would import it, and every problem
 * reported at the file, line and JSON pointer as written, not as converted.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readApiDocument } from '../../../../src/config/openapi/read-api-document.ts'
import { openApi3Document, swagger2ToOpenApi3 } from '../../../../src/config/openapi/swagger2-to-openapi3.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'

const FILE = 'swagger.yaml'
const source = (lines: string[]) => parseSourceText(FILE, `${lines.join('\n')}\n`)
const problems = (lines: string[]): string[] => readApiDocument(source(lines)).problems.map((e) => e.message)
const INTEGRATION = [
  '      x-amazon-apigateway-integration:',
  '        type: mock',
  '        requestTemplates: { application/json: \'{"statusCode": 200}\' }',
]

describe('Swagger 2.0 converted to OpenAPI 3', () => {
  const converted = swagger2ToOpenApi3(
    source([
      "swagger: '2.0'",
      'info: { title: shop, version: "1" }',
      'host: abc.execute-api.eu-west-1.amazonaws.com',
      'basePath: /prod',
      'schemes: [https]',
      'consumes: [application/json]',
      'produces: [application/json]',
      'paths:',
      '  /orders/{id}:',
      '    parameters:',
      '      - { name: id, in: path, required: true, type: string }',
      '    put:',
      '      consumes: [application/json, application/xml]',
      '      parameters:',
      '        - { name: Order, in: body, required: true, schema: { $ref: "#/definitions/Order" } }',
      '        - { name: tags, in: query, type: array, items: { type: string }, collectionFormat: multi }',
      '        - $ref: "#/parameters/Trace"',
      '      responses:',
      '        "200": { description: ok, schema: { $ref: "#/definitions/Order" }, headers: { X-Id: { type: integer } } }',
      '        "404": { $ref: "#/responses/NotFound" }',
      '      x-amazon-apigateway-integration:',
      '        type: mock',
      '        requestTemplates: { application/json: "#/definitions/ is text here" }',
      '  /upload:',
      '    x-amazon-apigateway-any-method:',
      '      consumes: [multipart/form-data]',
      '      parameters:',
      '        - { name: file, in: formData, type: file, required: true }',
      '        - { name: note, in: formData, type: string }',
      '      responses: {}',
      'parameters:',
      '  Trace: { name: X-Trace, in: header, required: true, type: string }',
      'responses:',
      '  NotFound: { description: missing, schema: { $ref: "#/definitions/Error" } }',
      'definitions:',
      '  Order: { type: object, properties: { lines: { type: array, items: { $ref: "#/definitions/Line" } } } }',
      '  Line: { type: object }',
      '  Error: { type: object }',
      'securityDefinitions:',
      '  lambda:',
      '    type: apiKey',
      '    name: Authorization',
      '    in: header',
      '    x-amazon-apigateway-authtype: custom',
      '    x-amazon-apigateway-authorizer: { type: token, authorizerUri: "#/definitions/Order" }',
      '  basic: { type: basic }',
      '  oauth: { type: oauth2, flow: accessCode, authorizationUrl: "https://a/auth", tokenUrl: "https://a/token", scopes: { read: r } }',
      'x-amazon-apigateway-documentation: { parts: [{ $ref: "#/definitions/Order" }] }',
    ]),
  )
  const data = converted.data as Record<string, any>

  test('version, servers (basePath kept there only) and components', () => {
    assert.equal(data.openapi, '3.0.1')
    assert.equal(data.swagger, undefined)
    assert.deepEqual(data.servers, [{ url: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod' }])
    assert.deepEqual(Object.keys(data.paths), ['/orders/{id}', '/upload'])
    assert.deepEqual(data.components.schemas.Order.properties.lines.items, {
      $ref: '#/components/schemas/Line',
    })
    assert.deepEqual(data.components.parameters.Trace, {
      name: 'X-Trace',
      in: 'header',
      required: true,
      schema: { type: 'string' },
    })
    assert.deepEqual(data.components.responses.NotFound, {
      description: 'missing',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    })
  })

  test('security definitions: apiKey with its extensions untouched, basic and oauth2 in OpenAPI 3 form', () => {
    const schemes = data.components.securitySchemes
    assert.deepEqual(schemes.lambda['x-amazon-apigateway-authorizer'], {
      type: 'token',
      authorizerUri: '#/definitions/Order',
    })
    assert.equal(schemes.lambda['x-amazon-apigateway-authtype'], 'custom')
    assert.deepEqual(schemes.basic, { type: 'http', scheme: 'basic' })
    assert.deepEqual(schemes.oauth, {
      type: 'oauth2',
      flows: {
        authorizationCode: {
          scopes: { read: 'r' },
          authorizationUrl: 'https://a/auth',
          tokenUrl: 'https://a/token',
        },
      },
    })
  })

  test("a body parameter is the request body per the operation's consumes; other parameters get a schema", () => {
    const put = data.paths['/orders/{id}'].put
    assert.deepEqual(put.requestBody, {
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/Order' } },
        'application/xml': { schema: { $ref: '#/components/schemas/Order' } },
      },
    })
    assert.deepEqual(put.parameters, [
      { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } }, explode: true },
      { $ref: '#/components/parameters/Trace' },
    ])
    assert.deepEqual(data.paths['/orders/{id}'].parameters, [
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ])
    assert.deepEqual(put.responses['200'], {
      description: 'ok',
      headers: { 'X-Id': { schema: { type: 'integer' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
    })
    assert.deepEqual(put.responses['404'], { $ref: '#/components/responses/NotFound' })
  })

  test('formData parameters are one form body, a file a binary string', () => {
    const any = data.paths['/upload']['x-amazon-apigateway-any-method']
    assert.deepEqual(any.requestBody, {
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' } },
            required: ['file'],
          },
        },
      },
    })
    assert.equal(any.parameters, undefined)
  })

  test('x-amazon-apigateway-* values are copied untouched, references inside them included', () => {
    assert.deepEqual(data['x-amazon-apigateway-documentation'], { parts: [{ $ref: '#/definitions/Order' }] })
    assert.equal(
      data.paths['/orders/{id}'].put['x-amazon-apigateway-integration'].requestTemplates['application/json'],
      '#/definitions/ is text here',
    )
  })

  test('pointers into the converted document lead back to where each piece is written', () => {
    const p = converted.sourcePointer
    assert.equal(
      p('/components/securitySchemes/lambda/x-amazon-apigateway-authorizer'),
      '/securityDefinitions/lambda/x-amazon-apigateway-authorizer',
    )
    assert.equal(p('/components/schemas/Order/properties'), '/definitions/Order/properties')
    assert.equal(
      p('/paths/~1orders~1{id}/put/requestBody/content/application~1xml/schema/$ref'),
      '/paths/~1orders~1{id}/put/parameters/0/schema/$ref',
    )
    assert.equal(p('/paths/~1orders~1{id}/put/parameters/0/schema'), '/paths/~1orders~1{id}/put/parameters/1')
    assert.equal(
      p('/paths/~1orders~1{id}/put/responses/200/content/application~1json/schema'),
      '/paths/~1orders~1{id}/put/responses/200/schema',
    )
    assert.equal(
      p(
        '/paths/~1upload/x-amazon-apigateway-any-method/requestBody/content/multipart~1form-data/schema/properties/note',
      ),
      '/paths/~1upload/x-amazon-apigateway-any-method/parameters/1',
    )
    assert.equal(converted.lineOf('/components/securitySchemes/basic'), 46)
    assert.equal(converted.lineOf('/paths/~1orders~1{id}/put/parameters/1'), 17)
  })

  test('a shared parameter whose name holds a slash is pointed at, escaped, where it is written', () => {
    const shared = swagger2ToOpenApi3(
      source(["swagger: '2.0'", 'paths: {}', 'parameters:', '  a/b: { name: ab, in: query, type: string }']),
    )
    assert.equal(shared.sourcePointer('/components/parameters/a~1b/schema'), '/parameters/a~1b')
    assert.equal(shared.lineOf('/components/parameters/a~1b/schema'), 4)
  })

  test('swagger: 2.0 written unquoted in YAML (the number 2) is Swagger 2.0 too', () => {
    assert.deepEqual(problems(['swagger: 2.0', 'paths: {}']), [])
  })

  test('an OpenAPI 3 document is read as it is', () => {
    const doc = source(['openapi: 3.0.1', 'paths: {}'])
    assert.equal(openApi3Document(doc), doc)
  })
})

const vectors: { name: string; yaml: string[]; expect: string[] }[] = [
  {
    name: "a typo in an operation's integration",
    yaml: [
      "swagger: '2.0'",
      'paths:',
      '  /pets:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: mock',
      '        timeoutInMilis: 100',
    ],
    expect: [
      `${FILE}:7: /paths/~1pets/get/x-amazon-apigateway-integration/timeoutInMilis: is not a field of x-amazon-apigateway-integration (did you mean \`timeoutInMillis\`?)`,
    ],
  },
  {
    name: 'a body model that is not defined, a parameter without a name after the body',
    yaml: [
      "swagger: '2.0'",
      'paths:',
      '  /pets:',
      '    post:',
      '      x-amazon-apigateway-request-validator: all',
      '      parameters:',
      '        - in: body',
      '          name: Pet',
      '          schema: { $ref: "#/definitions/Pett" }',
      '        - { in: query, type: string }',
      ...INTEGRATION,
      'definitions:',
      '  Pet: { type: object }',
      'x-amazon-apigateway-request-validators:',
      '  all: { validateRequestBody: true, validateRequestParameters: true }',
    ],
    expect: [
      `${FILE}:10: /paths/~1pets/post/parameters/1: expected a parameter object with name and in`,
      `${FILE}:9: /paths/~1pets/post/parameters/0/schema/$ref: expected a reference to a model in this document (#/components/schemas/<name>), found #/definitions/Pett`,
    ],
  },
  {
    name: 'a security definition that is not an object, a requirement naming none',
    yaml: [
      "swagger: '2.0'",
      'paths:',
      '  /pets:',
      '    get:',
      '      security: [{ nobody: [] }]',
      ...INTEGRATION,
      'securityDefinitions:',
      '  broken: 3',
    ],
    expect: [
      `${FILE}:10: /securityDefinitions/broken: expected a security scheme object, found number 3`,
      `${FILE}:5: /paths/~1pets/get/security/0/nobody: expected the name of a scheme in components.securitySchemes; 'nobody' is not defined`,
    ],
  },
  {
    name: 'two body parameters, and a body with form fields',
    yaml: [
      "swagger: '2.0'",
      'paths:',
      '  /a:',
      '    post:',
      '      parameters:',
      '        - { in: body, name: one, schema: { type: object } }',
      '        - { in: body, name: two, schema: { type: object } }',
      ...INTEGRATION,
      '  /b:',
      '    post:',
      '      parameters:',
      '        - { in: formData, name: f, type: string }',
      '        - { in: body, name: b, schema: { type: object } }',
      ...INTEGRATION,
    ],
    expect: [
      `${FILE}:7: /paths/~1a/post/parameters/1: expected at most one body parameter per operation`,
      `${FILE}:15: /paths/~1b/post/parameters/1: expected either a body parameter or formData parameters, not both`,
    ],
  },
]

describe('Swagger 2.0 problems name the file, line and pointer as written', () => {
  for (const v of vectors) test(v.name, () => assert.deepEqual(problems(v.yaml), v.expect))
})
