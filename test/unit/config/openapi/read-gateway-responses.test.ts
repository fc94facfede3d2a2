/**
 * Message vectors for every configuration error of `x-amazon-apigateway-gateway-responses`:
 * document fragment → the exact messages, each with file, line, JSON pointer and expectation.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FieldReader, type JsonObject } from '../../../../src/config/field-reader.ts'
import { readGatewayResponses } from '../../../../src/config/openapi/read-gateway-responses.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'
import { GATEWAY_RESPONSE_TYPES } from '../../../../src/errors/codes.ts'

const FILE = 'api.yaml'
const AT = '/x-amazon-apigateway-gateway-responses'

function read(yaml: string) {
  const doc = parseSourceText(FILE, yaml)
  const r = new FieldReader(doc)
  const out = readGatewayResponses(r, doc.data as JsonObject)
  return { out, messages: r.errors.map((e) => e.message) }
}

const vectors: { name: string; yaml: string; expect: string[] }[] = [
  {
    name: 'the extension is not an object',
    yaml: 'openapi: 3.0.1\nx-amazon-apigateway-gateway-responses: [UNAUTHORIZED]\n',
    expect: [`${FILE}:2: ${AT}: expected an object, found a list`],
  },
  {
    name: 'an unknown response type',
    yaml: 'x-amazon-apigateway-gateway-responses:\n  NOT_A_TYPE:\n    statusCode: 401\n',
    expect: [
      `${FILE}:3: ${AT}/NOT_A_TYPE: expected a gateway response type (${GATEWAY_RESPONSE_TYPES.join(', ')})`,
    ],
  },
  {
    name: 'a response that is not an object',
    yaml: 'x-amazon-apigateway-gateway-responses:\n  UNAUTHORIZED: 401\n',
    expect: [
      `${FILE}:2: ${AT}/UNAUTHORIZED: expected an object with statusCode, responseParameters, responseTemplates`,
    ],
  },
  {
    name: 'a status code out of range',
    yaml: 'x-amazon-apigateway-gateway-responses:\n  UNAUTHORIZED:\n    statusCode: 99\n',
    expect: [
      `${FILE}:3: ${AT}/UNAUTHORIZED/statusCode: expected an integer from 100 to 599, found number 99`,
    ],
  },
  {
    name: 'a response parameter that is not a header, and one that is not a string',
    yaml: [
      'x-amazon-apigateway-gateway-responses:',
      '  ACCESS_DENIED:',
      '    responseParameters:',
      '      method.response.header.X: "\'a\'"',
      '      gatewayresponse.header.Y: 3',
    ].join('\n'),
    expect: [
      `${FILE}:5: ${AT}/ACCESS_DENIED/responseParameters/gatewayresponse.header.Y: expected a string, found number 3`,
      `${FILE}:4: ${AT}/ACCESS_DENIED/responseParameters/method.response.header.X: expected a key of the form gatewayresponse.header.<Name>`,
    ],
  },
  {
    name: 'response templates that are not text',
    yaml: 'x-amazon-apigateway-gateway-responses:\n  DEFAULT_4XX:\n    responseTemplates:\n      application/json: {}\n',
    expect: [
      `${FILE}:4: ${AT}/DEFAULT_4XX/responseTemplates/application~1json: expected a string, found an object`,
    ],
  },
]

describe('x-amazon-apigateway-gateway-responses configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(read(v.yaml).messages, v.expect))
  }

  test('a valid override is read with its headers and templates', () => {
    const { out, messages } = read(
      [
        'x-amazon-apigateway-gateway-responses:',
        '  UNAUTHORIZED:',
        "    statusCode: '401'",
        '    responseParameters:',
        '      gatewayresponse.header.WWW-Authenticate: "\'Bearer\'"',
        '    responseTemplates:',
        '      application/json: \'{"message":$context.error.messageString}\'',
      ].join('\n'),
    )
    assert.deepEqual(messages, [])
    assert.deepEqual(out.get('UNAUTHORIZED'), {
      statusCode: 401,
      headers: [['WWW-Authenticate', "'Bearer'"]],
      templates: [['application/json', '{"message":$context.error.messageString}']],
    })
  })
})
