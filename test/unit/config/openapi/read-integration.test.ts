/**
 * Message vectors for every configuration error of `x-amazon-apigateway-integration`: an
 * operation as a user writes it → the exact messages, each with file, line, JSON pointer and
 * what was expected.
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
    name: 'a missing type and an unknown one',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        uri: https://example.com',
      '    put:',
      '      x-amazon-apigateway-integration:',
      '        type: lambda',
    ],
    expect: [
      `${FILE}:6: /paths/~1a/get/x-amazon-apigateway-integration/type: a required string is missing`,
      `${FILE}:9: /paths/~1a/put/x-amazon-apigateway-integration/type: expected aws, aws_proxy, http, http_proxy or mock, found 'lambda'`,
    ],
  },
  {
    name: 'a Lambda proxy with a timeout too long, a GET, payload 2.0 on REST and no URI',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    post:',
      '      x-amazon-apigateway-integration:',
      '        type: aws_proxy',
      '        httpMethod: GET',
      '        timeoutInMillis: 40000',
      "        payloadFormatVersion: '2.0'",
      '        uri: arn:aws:lambda:eu-west-1:123456789012:function:orders',
      '    put:',
      '      x-amazon-apigateway-integration:',
      '        type: AWS_PROXY',
    ],
    expect: [
      `${FILE}:13: /paths/~1a/put/x-amazon-apigateway-integration/uri: a required string is missing`,
      `${FILE}:8: /paths/~1a/post/x-amazon-apigateway-integration/timeoutInMillis: expected an integer from 50 to 29000, found number 40000`,
      `${FILE}:7: /paths/~1a/post/x-amazon-apigateway-integration/httpMethod: expected POST (Lambda is invoked with POST), found GET`,
      `${FILE}:9: /paths/~1a/post/x-amazon-apigateway-integration/payloadFormatVersion: expected 1.0 (REST APIs use payload 1.0)`,
    ],
  },
  {
    name: 'a Lambda proxy whose URI names no function',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    post:',
      '      x-amazon-apigateway-integration:',
      '        type: aws_proxy',
      '        uri: arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    ],
    expect: [
      `${FILE}:7: /paths/~1a/post/x-amazon-apigateway-integration/uri: expected a Lambda invoke URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations) or function ARN`,
    ],
  },
  {
    name: 'an HTTP proxy without a URI, and one whose URL is not http (its password is not shown)',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: http_proxy',
      '    delete:',
      '      x-amazon-apigateway-integration:',
      '        type: http_proxy',
      '        uri: ftp://reports:hunter2@files.example.com/',
    ],
    expect: [
      `${FILE}:6: /paths/~1a/get/x-amazon-apigateway-integration/uri: a required string is missing`,
      `${FILE}:10: /paths/~1a/delete/x-amazon-apigateway-integration/uri: expected an http:// or https:// URL, found ftp://…@files.example.com/`,
    ],
  },
  {
    name: 'every problem of a mapped Lambda integration in one run',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: aws',
      '        uri: arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem',
      '        requestParameters:',
      '          integration.request.body.x: method.request.header.x',
      '          integration.request.header.y: 3',
      '        passthroughBehavior: always',
      '        contentHandling: CONVERT_TO_JSON',
      '        responses:',
      '          default: 200',
      "          '4\\d{2}':",
      '            statusCode: 700',
      "          '5\\d{2}': {}",
      "          '2\\d{2}':",
      '            statusCode: 200',
      '            responseParameters:',
      '              integration.response.header.x: "\'a\'"',
      '            contentHandling: nope',
    ],
    expect: [
      `${FILE}:10: /paths/~1a/get/x-amazon-apigateway-integration/requestParameters/integration.request.header.y: expected a string, found number 3`,
      `${FILE}:9: /paths/~1a/get/x-amazon-apigateway-integration/requestParameters/integration.request.body.x: expected a key of the form integration.request.{header|querystring|path}.NAME`,
      `${FILE}:11: /paths/~1a/get/x-amazon-apigateway-integration/passthroughBehavior: expected WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER (any case), found always`,
      `${FILE}:12: /paths/~1a/get/x-amazon-apigateway-integration/contentHandling: expected CONVERT_TO_TEXT, CONVERT_TO_BINARY (any case), found CONVERT_TO_JSON`,
      `${FILE}:14: /paths/~1a/get/x-amazon-apigateway-integration/responses/default: expected an integration response object, found number 200`,
      `${FILE}:16: /paths/~1a/get/x-amazon-apigateway-integration/responses/4\\d{2}/statusCode: expected an integer from 100 to 599, found number 700`,
      `${FILE}:17: /paths/~1a/get/x-amazon-apigateway-integration/responses/5\\d{2}/statusCode: a required status code is missing`,
      `${FILE}:21: /paths/~1a/get/x-amazon-apigateway-integration/responses/2\\d{2}/responseParameters/integration.response.header.x: expected a key of the form method.response.header.NAME`,
      `${FILE}:22: /paths/~1a/get/x-amazon-apigateway-integration/responses/2\\d{2}/contentHandling: expected CONVERT_TO_TEXT, CONVERT_TO_BINARY (any case), found nope`,
      `${FILE}:7: /paths/~1a/get/x-amazon-apigateway-integration/uri: expected a Lambda invoke URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations); integrations with other AWS services are not supported`,
    ],
  },
  {
    name: 'a mapped Lambda integration whose URI is not one',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    put:',
      '      x-amazon-apigateway-integration:',
      '        type: aws',
      '        uri: https://example.com',
    ],
    expect: [
      `${FILE}:7: /paths/~1a/put/x-amazon-apigateway-integration/uri: expected a Lambda invoke URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations)`,
    ],
  },
  {
    name: 'an HTTP integration with an unknown method, a URL without scheme, and one with neither',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    post:',
      '      x-amazon-apigateway-integration:',
      '        type: http',
      '        httpMethod: FETCH',
      '        uri: https://admin:s3cret@example.com/x',
      '    put:',
      '      x-amazon-apigateway-integration:',
      '        type: http',
      '        httpMethod: GET',
      '        uri: example.com/x',
      '    patch:',
      '      x-amazon-apigateway-integration:',
      '        type: http',
    ],
    expect: [
      `${FILE}:13: /paths/~1a/put/x-amazon-apigateway-integration/uri: expected an http:// or https:// URL, found example.com/x`,
      `${FILE}:7: /paths/~1a/post/x-amazon-apigateway-integration/httpMethod: expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`,
      `${FILE}:16: /paths/~1a/patch/x-amazon-apigateway-integration/uri: a required string is missing`,
      `${FILE}:16: /paths/~1a/patch/x-amazon-apigateway-integration/httpMethod: a required string is missing`,
    ],
  },
  {
    name: 'a mock whose templates are not text and whose responses are a list',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    delete:',
      '      x-amazon-apigateway-integration:',
      '        type: mock',
      '        requestTemplates: { application/json: 3 }',
      '        responses: []',
    ],
    expect: [
      `${FILE}:7: /paths/~1a/delete/x-amazon-apigateway-integration/requestTemplates/application~1json: expected a string, found number 3`,
      `${FILE}:8: /paths/~1a/delete/x-amazon-apigateway-integration/responses: expected an object, found a list`,
    ],
  },
  {
    name: 'HTTP APIs have no mapped integrations, their timeout is 30 s and payloads 1.0 or 2.0',
    yaml: [
      'openapi: 3.0.1',
      "x-amazon-apigateway-importexport-version: '1.0'",
      'paths:',
      '  /a:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: mock',
      '    post:',
      '      x-amazon-apigateway-integration:',
      '        type: aws_proxy',
      "        payloadFormatVersion: '3.0'",
      '        uri: arn:aws:lambda:eu-west-1:123456789012:function:orders',
      '        timeoutInMillis: 40000',
    ],
    expect: [
      `${FILE}:7: /paths/~1a/get/x-amazon-apigateway-integration/type: expected aws_proxy or http_proxy: HTTP APIs have no 'mock' (non-proxy) integrations`,
      `${FILE}:13: /paths/~1a/post/x-amazon-apigateway-integration/timeoutInMillis: expected an integer from 50 to 30000, found number 40000`,
      `${FILE}:11: /paths/~1a/post/x-amazon-apigateway-integration/payloadFormatVersion: expected 1.0 or 2.0`,
    ],
  },
]

describe('x-amazon-apigateway-integration configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(problems(v.yaml), v.expect))
  }
})
