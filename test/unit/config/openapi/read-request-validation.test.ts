/**
 * Message vectors for every configuration error of request validation
 * (`x-amazon-apigateway-request-validators`, `x-amazon-apigateway-request-validator`, the
 * parameters and models it checks): document fragment → the exact messages, each with file, line,
 * JSON pointer and what was expected.
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
    name: 'a validator that is not an object, a setting that is not a boolean, an unknown validator',
    yaml: [
      'openapi: 3.0.1',
      'x-amazon-apigateway-request-validators:',
      "  all: { validateRequestBody: true, validateRequestParameters: 'yes' }",
      '  broken: true',
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-request-validator: strict',
      '      x-amazon-apigateway-integration: { type: mock }',
    ],
    expect: [
      `${FILE}:3: /x-amazon-apigateway-request-validators/all/validateRequestParameters: expected true or false, found the string "yes"`,
      `${FILE}:4: /x-amazon-apigateway-request-validators/broken: expected an object with validateRequestBody and validateRequestParameters`,
      `${FILE}:8: /paths/~1a/get/x-amazon-apigateway-request-validator: expected the name of a validator in x-amazon-apigateway-request-validators; 'strict' is not defined`,
    ],
  },
  {
    name: 'an unknown default validator is reported once, not at every operation it applies to',
    yaml: [
      'openapi: 3.0.1',
      'x-amazon-apigateway-request-validator: strict',
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-integration: { type: mock }',
      '    post:',
      '      x-amazon-apigateway-integration: { type: mock }',
    ],
    expect: [
      `${FILE}:2: /x-amazon-apigateway-request-validator: expected the name of a validator in x-amazon-apigateway-request-validators; 'strict' is not defined`,
    ],
  },
  {
    name: 'the parameters of a path item that are not a list are reported once, not per operation',
    yaml: [
      'openapi: 3.0.1',
      'x-amazon-apigateway-request-validators:',
      '  all: { validateRequestBody: true, validateRequestParameters: true }',
      'x-amazon-apigateway-request-validator: all',
      'paths:',
      '  /a/{id}:',
      '    parameters: { name: id }',
      '    get:',
      '      x-amazon-apigateway-integration: { type: mock }',
      '    put:',
      '      x-amazon-apigateway-integration: { type: mock }',
      '    delete:',
      '      x-amazon-apigateway-integration: { type: mock }',
    ],
    expect: [`${FILE}:7: /paths/~1a~1{id}/parameters: expected a list of parameter objects`],
  },
  {
    name: 'parameters that are not objects, refer to nothing or have no name',
    yaml: [
      'openapi: 3.0.1',
      'x-amazon-apigateway-request-validators:',
      '  all: { validateRequestBody: true, validateRequestParameters: true }',
      'x-amazon-apigateway-request-validator: all',
      'components:',
      '  parameters:',
      '    id: { name: id, in: path }',
      '  schemas:',
      '    Order: { type: object }',
      'paths:',
      '  /a/{id}:',
      '    post:',
      '      parameters:',
      '        - 3',
      "        - $ref: '#/components/schemas/Order'",
      '        - { name: q }',
      "        - $ref: '#/components/parameters/missing'",
      "        - $ref: '#/components/parameters/id'",
      '      x-amazon-apigateway-integration: { type: mock }',
    ],
    expect: [
      `${FILE}:14: /paths/~1a~1{id}/post/parameters/0: expected an object, found number 3`,
      `${FILE}:15: /paths/~1a~1{id}/post/parameters/1/$ref: expected a reference to #/components/parameters/<name> that exists, found #/components/schemas/Order`,
      `${FILE}:16: /paths/~1a~1{id}/post/parameters/2: expected a parameter object with name and in`,
      `${FILE}:17: /paths/~1a~1{id}/post/parameters/3/$ref: expected a reference to #/components/parameters/<name> that exists, found #/components/parameters/missing`,
    ],
  },
  {
    name: 'request bodies and models that refer to nothing',
    yaml: [
      'openapi: 3.0.1',
      'x-amazon-apigateway-request-validators:',
      '  all: { validateRequestBody: true, validateRequestParameters: true }',
      'x-amazon-apigateway-request-validator: all',
      'paths:',
      '  /a:',
      '    post:',
      '      requestBody:',
      '        content:',
      '          application/json:',
      "            schema: { $ref: '#/components/schemas/Missing' }",
      '      x-amazon-apigateway-integration: { type: mock }',
      '    put:',
      "      requestBody: { $ref: '#/components/requestBodies/none' }",
      '      x-amazon-apigateway-integration: { type: mock }',
      '    patch:',
      '      requestBody: 3',
      '      x-amazon-apigateway-integration: { type: mock }',
      '    delete:',
      '      requestBody: { content: [] }',
      '      x-amazon-apigateway-integration: { type: mock }',
    ],
    expect: [
      `${FILE}:14: /paths/~1a/put/requestBody/$ref: expected a reference to #/components/requestBodies/<name> that exists, found #/components/requestBodies/none`,
      `${FILE}:11: /paths/~1a/post/requestBody/content/application~1json/schema/$ref: expected a reference to a model in this document (#/components/schemas/<name>), found #/components/schemas/Missing`,
      `${FILE}:20: /paths/~1a/delete/requestBody/content: expected an object, found a list`,
      `${FILE}:17: /paths/~1a/patch/requestBody: expected an object, found number 3`,
    ],
  },
]

describe('request validation configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(problems(v.yaml), v.expect))
  }
})
