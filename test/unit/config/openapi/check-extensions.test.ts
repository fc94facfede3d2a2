/**
 * Strict documents: message vectors for unknown API Gateway extensions, unknown fields inside
 * them, and extensions AWS accepts that forcegate does not serve yet, all found in one run.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FieldReader, type JsonObject } from '../../../../src/config/field-reader.ts'
import { checkExtensions } from '../../../../src/config/openapi/check-extensions.ts'
import { readApiDocument } from '../../../../src/config/openapi/read-api-document.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'
import { ConfigErrors } from '../../../../src/errors/config-error.ts'
import { lambdaOp } from '../../../helpers/temp-api.ts'
import { openapi, startTestGateway } from '../../../helpers/test-gateway.ts'

const FILE = 'api.yaml'

function check(yaml: string): string[] {
  const doc = parseSourceText(FILE, yaml)
  const r = new FieldReader(doc)
  checkExtensions(r, doc.data as JsonObject)
  return r.errors.map((e) => e.message)
}

const op = (integration: string): string =>
  `openapi: 3.0.1\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n${integration}`

describe('strict documents: x-amazon-apigateway-* keys', () => {
  test('a misspelt integration field names the pointer and the nearest field', () => {
    assert.deepEqual(check(op('        type: mock\n        timeoutInMilis: 500\n')), [
      `${FILE}:7: /paths/~1a/get/x-amazon-apigateway-integration/timeoutInMilis: is not a field of x-amazon-apigateway-integration (did you mean \`timeoutInMillis\`?)`,
    ])
  })

  test('an unknown extension names the nearest one, or none when nothing is close', () => {
    assert.deepEqual(
      check('openapi: 3.0.1\nx-amazon-apigateway-foo: 1\nx-amazon-apigateway-binary-media-type: []\n'),
      [
        `${FILE}:2: /x-amazon-apigateway-foo: is not an API Gateway extension`,
        `${FILE}:3: /x-amazon-apigateway-binary-media-type: is not an API Gateway extension (did you mean \`x-amazon-apigateway-binary-media-types\`?)`,
      ],
    )
  })

  test('every problem of a document is reported in one run, wherever it is', () => {
    const messages = check(
      [
        'openapi: 3.0.1',
        'x-amazon-apigateway-importexport-version: "1.0"',
        'x-amazon-apigateway-cors:',
        '  allowOrigin: ["*"]',
        'components:',
        '  securitySchemes:',
        '    jwt:',
        '      type: oauth2',
        '      x-amazon-apigateway-authorizer:',
        '        type: jwt',
        '        jwtConfiguration: { issuer: "https://i", audiences: [a] }',
        '  x-amazon-apigateway-integrations:',
        '    shared:',
        '      type: http_proxy',
        '      url: http://x',
        'paths:',
        '  /a:',
        '    x-amazon-apigateway-any-method:',
        '      x-amazon-apigateway-integraton: {}',
        '      responses: {}',
        '',
      ].join('\n'),
    )
    assert.deepEqual(messages, [
      `${FILE}:4: /x-amazon-apigateway-cors/allowOrigin: is not a field of x-amazon-apigateway-cors (did you mean \`allowOrigins\`?)`,
      `${FILE}:11: /components/securitySchemes/jwt/x-amazon-apigateway-authorizer/jwtConfiguration/audiences: is not a field of x-amazon-apigateway-authorizer (did you mean \`audience\`?)`,
      `${FILE}:15: /components/x-amazon-apigateway-integrations/shared/url: is not a field of x-amazon-apigateway-integrations (did you mean \`uri\`?)`,
      `${FILE}:19: /paths/~1a/x-amazon-apigateway-any-method/x-amazon-apigateway-integraton: is not an API Gateway extension (did you mean \`x-amazon-apigateway-integration\`?)`,
    ])
  })

  test('fields of integration responses, gateway responses and validators are checked too', () => {
    const messages = check(
      [
        'openapi: 3.0.1',
        'x-amazon-apigateway-gateway-responses:',
        '  UNAUTHORIZED: { statusCode: 401, responseTemplate: {} }',
        'x-amazon-apigateway-request-validators:',
        '  all: { validateRequestBody: true, validateParameters: true }',
        'paths:',
        '  /a:',
        '    get:',
        '      x-amazon-apigateway-integration:',
        '        type: mock',
        '        responses:',
        '          default: { statuscode: 200 }',
        '',
      ].join('\n'),
    )
    assert.deepEqual(messages, [
      `${FILE}:3: /x-amazon-apigateway-gateway-responses/UNAUTHORIZED/responseTemplate: is not a field of x-amazon-apigateway-gateway-responses (did you mean \`responseTemplates\`?)`,
      `${FILE}:5: /x-amazon-apigateway-request-validators/all/validateParameters: is not a field of x-amazon-apigateway-request-validators (did you mean \`validateRequestParameters\`?)`,
      `${FILE}:12: /paths/~1a/get/x-amazon-apigateway-integration/responses/default/statuscode: is not a field of x-amazon-apigateway-integration (did you mean \`statusCode\`?)`,
    ])
  })

  test('valid on AWS but not served yet: said so, not called unknown', () => {
    const messages = check(
      [
        'openapi: 3.0.1',
        'x-amazon-apigateway-policy: { Version: "2012-10-17", Statement: [] }',
        'paths:',
        '  /a:',
        '    get:',
        '      x-amazon-apigateway-integration:',
        '        type: http_proxy',
        '        uri: http://x',
        '        connectionType: VPC_LINK',
        '        connectionId: abc',
        '        responseParameters: { "200": { "overwrite:statuscode": "204" } }',
        '',
      ].join('\n'),
    )
    assert.equal(messages.length, 4)
    assert.match(
      messages[0]!,
      /\/x-amazon-apigateway-policy: is an API Gateway extension that forcegate does not support yet/,
    )
    assert.match(messages[1]!, /connectionType: VPC_LINK is valid on AWS but not supported by forcegate yet/)
    assert.match(
      messages[2]!,
      /connectionId: is a field of x-amazon-apigateway-integration that forcegate does not support yet/,
    )
    assert.match(
      messages[3]!,
      /responseParameters: is a field of x-amazon-apigateway-integration that forcegate does not support yet/,
    )
  })

  test('extensions with no effect on a local gateway are accepted', () => {
    assert.deepEqual(
      check(
        [
          'openapi: 3.0.1',
          'x-amazon-apigateway-api-key-source: HEADER',
          'x-amazon-apigateway-minimum-compression-size: 1024',
          'x-amazon-apigateway-endpoint-configuration: { disableExecuteApiEndpoint: true }',
          'x-amazon-apigateway-documentation: { version: "1", documentationParts: [] }',
          'tags: [{ name: Owner, x-amazon-apigateway-tag-value: Admin }]',
          'paths: {}',
          '',
        ].join('\n'),
      ),
      [],
    )
  })

  test('x-amazon-apigateway-cors on a REST API says how REST APIs answer preflights', () => {
    const [message] = check('openapi: 3.0.1\nx-amazon-apigateway-cors: { allowOrigins: ["*"] }\npaths: {}\n')
    assert.match(message!, /belongs to HTTP APIs .* a REST API answers preflights with an OPTIONS method/)
  })

  test("a document is read with them among its problems, beside the readers' own", () => {
    const doc = parseSourceText(
      FILE,
      op('        type: mock\n        timeoutInMilis: 500\n        passthroughBehavior: sometimes\n'),
    )
    const messages = readApiDocument(doc).problems.map((p) => p.message)
    assert.ok(
      messages.some((m) =>
        m.includes(
          'timeoutInMilis: is not a field of x-amazon-apigateway-integration (did you mean `timeoutInMillis`?)',
        ),
      ),
      messages.join('\n'),
    )
    assert.ok(
      messages.some((m) => m.includes('/passthroughBehavior: expected')),
      messages.join('\n'),
    )
  })

  test('a start stops on them, all reported together with the other problems of the run', async () => {
    const document = openapi(
      { '/a': { get: lambdaOp('missing', { timeoutInMilis: 500 }) } },
      { 'x-amazon-apigateway-foo': true },
    )
    await assert.rejects(startTestGateway(document), (err: unknown) => {
      assert.ok(err instanceof ConfigErrors, String(err))
      const text = err.message
      assert.match(text, /\/x-amazon-apigateway-foo: is not an API Gateway extension/)
      assert.match(
        text,
        /timeoutInMilis: is not a field of x-amazon-apigateway-integration \(did you mean `timeoutInMillis`\?\)/,
      )
      return true
    })
  })
})
