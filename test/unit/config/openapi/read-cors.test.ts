/**
 * Message vectors for every configuration error of `x-amazon-apigateway-cors` (HTTP APIs):
 * document fragment → the exact messages, each with file, line, JSON pointer and what was
 * expected.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readApiDocument } from '../../../../src/config/openapi/read-api-document.ts'
import { parseSourceText } from '../../../../src/config/source-document.ts'

const FILE = 'api.yaml'

/** The problems reported for a whole document, in the order found. */
function problems(lines: string[]): string[] {
  return readApiDocument(parseSourceText(FILE, `${lines.join('\n')}\n`)).problems.map((e) => e.message)
}

const vectors: { name: string; yaml: string[]; expect: string[] }[] = [
  {
    name: 'the extension is not an object',
    yaml: [
      'openapi: 3.0.1',
      "x-amazon-apigateway-importexport-version: '1.0'",
      'x-amazon-apigateway-cors: true',
      'paths: {}',
    ],
    expect: [`${FILE}:3: /x-amazon-apigateway-cors: expected an object, found boolean true`],
  },
  {
    name: 'credentials for every origin',
    yaml: [
      'openapi: 3.0.1',
      "x-amazon-apigateway-importexport-version: '1.0'",
      'x-amazon-apigateway-cors:',
      "  allowOrigins: ['*']",
      '  allowCredentials: true',
      'paths: {}',
    ],
    expect: [
      `${FILE}:4: /x-amazon-apigateway-cors/allowOrigins: expected the origins by name: allowCredentials cannot be true when allowOrigins includes *`,
    ],
  },
  {
    name: 'settings of the wrong kind',
    yaml: [
      'openapi: 3.0.1',
      "x-amazon-apigateway-importexport-version: '1.0'",
      'x-amazon-apigateway-cors:',
      '  allowOrigins: https://app.example.com',
      "  allowCredentials: 'yes'",
      '  allowMethods: GET',
      '  allowHeaders: [1]',
      '  exposeHeaders: {}',
      '  maxAge: 90000',
      'paths: {}',
    ],
    expect: [
      `${FILE}:4: /x-amazon-apigateway-cors/allowOrigins: expected a list of strings, found the string "https://app.example.com"`,
      `${FILE}:5: /x-amazon-apigateway-cors/allowCredentials: expected true or false, found the string "yes"`,
      `${FILE}:6: /x-amazon-apigateway-cors/allowMethods: expected a list of strings, found the string "GET"`,
      `${FILE}:7: /x-amazon-apigateway-cors/allowHeaders: expected a list of strings, found a list`,
      `${FILE}:8: /x-amazon-apigateway-cors/exposeHeaders: expected a list of strings, found an object`,
      `${FILE}:9: /x-amazon-apigateway-cors/maxAge: expected an integer from -1 to 86400, found number 90000`,
    ],
  },
  {
    name: 'a REST API has no CORS setting',
    yaml: ['openapi: 3.0.1', 'x-amazon-apigateway-cors:', "  allowOrigins: ['*']", 'paths: {}'],
    expect: [
      `${FILE}:3: /x-amazon-apigateway-cors: belongs to HTTP APIs (documents with x-amazon-apigateway-importexport-version); a REST API answers preflights with an OPTIONS method: a mock integration whose response sets method.response.header.Access-Control-Allow-* parameters`,
    ],
  },
]

describe('x-amazon-apigateway-cors configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(problems(v.yaml), v.expect))
  }
})
