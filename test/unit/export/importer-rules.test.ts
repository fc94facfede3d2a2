import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type ImporterRule, importerProblems } from '../../../src/export/importer-rules.ts'

const AUTHORIZER_URI =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's import variables, written as AWS spells them
  'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:auth/invocations'

/** A document the REST importer takes: each vector below breaks exactly one rule of it. */
function valid(): Record<string, any> {
  return {
    openapi: '3.0.1',
    info: { title: 'Orders', version: '1' },
    components: {
      securitySchemes: {
        sf: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            identitySource: 'method.request.header.Authorization',
            authorizerUri: AUTHORIZER_URI,
            authorizerResultTtlInSeconds: 300,
          },
        },
      },
      schemas: {
        Order: { type: 'object', properties: { default: { type: 'string' }, total: { type: 'number' } } },
      },
    },
    paths: {
      '/orders/{orderId}': {
        get: {
          security: [{ sf: [] }],
          parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            default: { description: 'any', content: { 'application/json': { schema: { type: 'object' } } } },
          },
          'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{}' } },
        },
      },
      '/health': { get: { security: [] } },
    },
  }
}

const rulesOf = (doc: unknown): ImporterRule[] => importerProblems(doc).map((p) => p.rule)

test('a document within every rule has no problem (a property named default is no keyword)', () => {
  assert.deepEqual(importerProblems(valid()), [])
})

const vectors: [string, ImporterRule, (d: Record<string, any>) => void][] = [
  ['OpenAPI 3.1 is refused', 'openapi-version', (d) => (d.openapi = '3.1.0')],
  ['Swagger-less 3.0 without a patch number', 'openapi-version', (d) => (d.openapi = '3.0')],
  [
    'an oauth2 scheme',
    'api-key-schemes-only',
    (d) => (d.components.securitySchemes.o = { type: 'oauth2', flows: {} }),
  ],
  [
    'an http bearer scheme',
    'api-key-schemes-only',
    (d) => (d.components.securitySchemes.b = { type: 'http', scheme: 'bearer' }),
  ],
  [
    'an operation naming an unknown scheme',
    'api-key-schemes-only',
    (d) => (d.paths['/orders/{orderId}'].get.security = [{ nope: [] }]),
  ],
  [
    'an authorizer of an unknown type',
    'lambda-authorizer',
    (d) => (d.components.securitySchemes.sf['x-amazon-apigateway-authorizer'].type = 'jwt'),
  ],
  [
    'a request authorizer without identity source',
    'lambda-authorizer',
    (d) => delete d.components.securitySchemes.sf['x-amazon-apigateway-authorizer'].identitySource,
  ],
  [
    'an authorizer TTL beyond 3600',
    'lambda-authorizer',
    (d) =>
      (d.components.securitySchemes.sf['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds = 7200),
  ],
  [
    'an authorizer URI that invokes no Lambda function',
    'lambda-authorizer',
    (d) =>
      (d.components.securitySchemes.sf['x-amazon-apigateway-authorizer'].authorizerUri =
        'https://auth.example'),
  ],
  [
    'security only at the top level',
    'security-on-every-operation',
    (d) => {
      d.security = [{ sf: [] }]
      delete d.paths['/orders/{orderId}'].get.security
    },
  ],
  [
    'two alternative schemes on one operation',
    'one-authorizer-per-operation',
    (d) => {
      d.components.securitySchemes.key = { type: 'apiKey', name: 'x-api-key', in: 'header' }
      d.paths['/orders/{orderId}'].get.security = [{ sf: [] }, { key: [] }]
    },
  ],
  [
    'discriminator',
    'unsupported-keyword',
    (d) => (d.components.schemas.Order.discriminator = { propertyName: 'kind' }),
  ],
  ['example', 'unsupported-keyword', (d) => (d.components.schemas.Order.properties.total.example = 3)],
  [
    'exclusiveMinimum',
    'unsupported-keyword',
    (d) => (d.components.schemas.Order.properties.total.exclusiveMinimum = true),
  ],
  ['readOnly', 'unsupported-keyword', (d) => (d.components.schemas.Order.properties.total.readOnly = true)],
  [
    'default in a parameter schema',
    'unsupported-keyword',
    (d) => (d.paths['/orders/{orderId}'].get.parameters[0].schema.default = 'x'),
  ],
  [
    'an int64 format in a response schema',
    'unsupported-keyword',
    (d) => {
      d.paths['/orders/{orderId}'].get.responses.default.content['application/json'].schema = {
        type: 'integer',
        format: 'int64',
      }
    },
  ],
  [
    'a forcegate extension left in',
    'aws-extensions-only',
    (d) => (d.components.securitySchemes.sf['x-forcegate-salesforce'] = {}),
  ],
  ['another vendor extension', 'aws-extensions-only', (d) => (d['x-blog'] = true)],
  ['a parameter that is part of a segment', 'path-segments', (d) => (d.paths['/orders/id-{orderId}'] = {})],
  ['a segment with a character AWS refuses', 'path-segments', (d) => (d.paths['/orders/a b'] = {})],
  ['a document over 6 MB', 'document-size', (d) => (d.info.description = 'x'.repeat(6 * 1024 * 1024))],
]

for (const [name, rule, breakIt] of vectors) {
  test(`importer rule ${rule}: ${name}`, () => {
    const doc = valid()
    breakIt(doc)
    assert.deepEqual(rulesOf(doc), [rule])
  })
}
