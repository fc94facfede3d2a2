/**
 * Message vectors for every document-level configuration error of an API document: the
 * version, paths, operations, integrations and security requirements → the exact messages,
 * each with file, line, JSON pointer and what was expected.
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
    name: 'a Swagger version that is not 2.0',
    yaml: ["swagger: '1.2'", 'paths: {}'],
    expect: [
      `${FILE}:1: /swagger: expected swagger: '2.0' (or openapi: 3.0.x or 3.1.x), found the string "1.2"`,
    ],
  },
  {
    name: 'an OpenAPI version that is not 3, an info that is text and no paths',
    yaml: ['openapi: 2.0.0', 'info: Orders'],
    expect: [
      `${FILE}:1: /openapi: expected openapi: 3.0.x or 3.1.x`,
      `${FILE}:2: /info: expected an object, found the string "Orders"`,
      `${FILE}:1: /paths: a required object is missing`,
    ],
  },
  {
    name: 'a title that is not text and binary media types that are not a list',
    yaml: [
      'openapi: 3.0.1',
      'info:',
      '  title: 3',
      'x-amazon-apigateway-binary-media-types: image/png',
      'paths: {}',
    ],
    expect: [
      `${FILE}:3: /info/title: expected a string, found number 3`,
      `${FILE}:4: /x-amazon-apigateway-binary-media-types: expected a list of strings, found the string "image/png"`,
    ],
  },
  {
    name: 'paths that API Gateway cannot route',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  orders: {}',
      '  /orders/{id+}/items: {}',
      '  /orders/a b: {}',
      '  /x: 3',
      '  /y:',
      '    get: []',
      '    post: {}',
    ],
    expect: [
      `${FILE}:3: /paths/orders: expected a path starting with /`,
      `${FILE}:4: /paths/~1orders~1{id+}~1items: expected the greedy variable {id+} to be the last segment`,
      `${FILE}:5: /paths/~1orders~1a b: expected segments that are literals, {name} or a final {name+}; 'a b' is not`,
      `${FILE}:6: /paths/~1x: expected a path item object, found number 3`,
      `${FILE}:8: /paths/~1y/get: expected an operation object, found a list`,
      `${FILE}:9: /paths/~1y/post/x-amazon-apigateway-integration: every operation needs an integration (x-amazon-apigateway-integration)`,
    ],
  },
  {
    name: 'security that is not a list, a broken scheme reported once, requirements naming unknown schemes',
    yaml: [
      'openapi: 3.0.1',
      'security: {}',
      'components:',
      '  securitySchemes:',
      '    broken: 3',
      '    bearer: { type: http, scheme: bearer }',
      'paths:',
      '  /a:',
      '    get:',
      '      security:',
      '        - 3',
      '        - nope: []',
      '        - bearer: [1]',
      '        - broken: []',
      '      x-amazon-apigateway-integration: { type: mock }',
    ],
    expect: [
      `${FILE}:5: /components/securitySchemes/broken: expected a security scheme object, found number 3`,
      `${FILE}:2: /security: expected a list of security requirement objects`,
      `${FILE}:11: /paths/~1a/get/security/0: expected a security requirement object ({ schemeName: [scopes] })`,
      `${FILE}:12: /paths/~1a/get/security/1/nope: expected the name of a scheme in components.securitySchemes; 'nope' is not defined`,
      `${FILE}:13: /paths/~1a/get/security/2/bearer: expected a list of scope strings`,
    ],
  },
  {
    name: 'integrations that are missing, not objects, both kinds, or a reference to nothing',
    yaml: [
      'openapi: 3.0.1',
      'components:',
      '  x-amazon-apigateway-integrations:',
      '    shared:',
      '      type: mock',
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      "        $ref: '#/components/x-amazon-apigateway-integrations/missing'",
      '    put:',
      '      x-amazon-apigateway-integration: mock',
      '    patch:',
      '      x-amazon-apigateway-integration: { type: mock }',
      '      x-forcegate-salesforce-integration: { org: devorg }',
      '    delete:',
      '      x-forcegate-salesforce-integration: upsert',
      '    head:',
      '      x-amazon-apigateway-integration:',
      "        $ref: '#/components/x-amazon-apigateway-integrations/shared'",
      '        requestTemplates: 3',
    ],
    expect: [
      `${FILE}:10: /paths/~1a/get/x-amazon-apigateway-integration/$ref: expected a reference to #/components/x-amazon-apigateway-integrations/<name> that exists, found #/components/x-amazon-apigateway-integrations/missing`,
      `${FILE}:12: /paths/~1a/put/x-amazon-apigateway-integration: expected an integration object, found the string "mock"`,
      `${FILE}:17: /paths/~1a/delete/x-forcegate-salesforce-integration: expected an integration object, found the string "upsert"`,
      `${FILE}:15: /paths/~1a/patch/x-forcegate-salesforce-integration: expected either x-amazon-apigateway-integration or x-forcegate-salesforce-integration, not both`,
    ],
  },
]

describe('OpenAPI document configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(problems(v.yaml), v.expect))
  }
})
