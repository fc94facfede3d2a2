/**
 * Message vectors for every configuration error of `x-forcegate-salesforce-integration`: an
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
    name: 'an empty integration names its three required fields',
    yaml: ['openapi: 3.0.1', 'paths:', '  /a:', '    get:', '      x-forcegate-salesforce-integration: {}'],
    expect: [
      `${FILE}:5: /paths/~1a/get/x-forcegate-salesforce-integration/org: a required string is missing`,
      `${FILE}:5: /paths/~1a/get/x-forcegate-salesforce-integration/credential: a required string is missing`,
      `${FILE}:5: /paths/~1a/get/x-forcegate-salesforce-integration/operation: a required string is missing`,
    ],
  },
  {
    name: 'an unknown credential and operation',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    post:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: user',
      '        operation: merge',
      '        sobject: Order',
    ],
    expect: [
      `${FILE}:7: /paths/~1a/post/x-forcegate-salesforce-integration/credential: expected caller or integrationUser, found 'user'`,
      `${FILE}:8: /paths/~1a/post/x-forcegate-salesforce-integration/operation: expected upsert or create or upload, found 'merge'`,
    ],
  },
  {
    name: 'every problem of an upsert in one run',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    put:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: caller',
      '        operation: upsert',
      "        sobject: 'Order Item'",
      '        externalIdField: 3',
      '        timeoutInMillis: 400000',
      "        allowDuplicateSave: 'true'",
      '        requestTemplates: { application/json: [] }',
      '        retries: 3',
    ],
    expect: [
      `${FILE}:9: /paths/~1a/put/x-forcegate-salesforce-integration/sobject: expected a Salesforce API name, found 'Order Item'`,
      `${FILE}:10: /paths/~1a/put/x-forcegate-salesforce-integration/externalIdField: expected a string, found number 3`,
      `${FILE}:11: /paths/~1a/put/x-forcegate-salesforce-integration/timeoutInMillis: expected an integer from 50 to 300000, found number 400000`,
      `${FILE}:12: /paths/~1a/put/x-forcegate-salesforce-integration/allowDuplicateSave: expected true or false, found the string "true"`,
      `${FILE}:13: /paths/~1a/put/x-forcegate-salesforce-integration/requestTemplates/application~1json: expected a string, found a list`,
      `${FILE}:14: /paths/~1a/put/x-forcegate-salesforce-integration/retries: unknown member 'retries' of x-forcegate-salesforce-integration`,
    ],
  },
  {
    name: 'an upsert without its external ID field, a create without its object',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a:',
      '    put:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: caller',
      '        operation: upsert',
      '        sobject: Order__c',
      '    post:',
      '      x-forcegate-salesforce-integration:',
      '        org: 3',
      '        credential: caller',
      '        operation: create',
    ],
    expect: [
      `${FILE}:6: /paths/~1a/put/x-forcegate-salesforce-integration/externalIdField: a required string is missing`,
      `${FILE}:12: /paths/~1a/post/x-forcegate-salesforce-integration/org: expected a string, found number 3`,
      `${FILE}:12: /paths/~1a/post/x-forcegate-salesforce-integration/sobject: a required string is missing`,
    ],
  },
  {
    name: 'an upload without its settings, and one with settings out of range',
    yaml: [
      'openapi: 3.0.1',
      'paths:',
      '  /a/{id}:',
      '    patch:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: integrationUser',
      '        operation: upload',
      '    delete:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: integrationUser',
      '        operation: upload',
      '        upload:',
      '          maxBytes: 0',
      '          contentTypes: application/pdf',
      '    put:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: integrationUser',
      '        operation: upload',
      '        upload: [linkToPathParameter]',
    ],
    expect: [
      `${FILE}:22: /paths/~1a~1{id}/put/x-forcegate-salesforce-integration/upload: expected an object, found a list`,
      `${FILE}:15: /paths/~1a~1{id}/delete/x-forcegate-salesforce-integration/upload/linkToPathParameter: a required string is missing`,
      `${FILE}:15: /paths/~1a~1{id}/delete/x-forcegate-salesforce-integration/upload/maxBytes: expected an integer from 1 to 2147483648, found number 0`,
      `${FILE}:16: /paths/~1a~1{id}/delete/x-forcegate-salesforce-integration/upload/contentTypes: expected a list of strings, found the string "application/pdf"`,
      `${FILE}:6: /paths/~1a~1{id}/patch/x-forcegate-salesforce-integration/upload: a required object is missing`,
    ],
  },
]

describe('x-forcegate-salesforce-integration configuration errors', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(problems(v.yaml), v.expect))
  }
})

describe('x-forcegate-salesforce-integration defaults', () => {
  const read = (lines: string[]) => readApiDocument(parseSourceText(FILE, `${lines.join('\n')}\n`))

  test('an upsert as the caller waits 29 s and allows no duplicate save unless told', () => {
    const api = read([
      'openapi: 3.0.1',
      'paths:',
      '  /contacts:',
      '    put:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: caller',
      '        operation: upsert',
      '        sobject: Contact',
      '        externalIdField: External_Id__c',
      "        requestTemplates: { application/json: '$input.body' }",
    ])
    assert.deepEqual(api.problems, [])
    assert.deepEqual(api.routes[0]?.integration, {
      type: 'salesforce',
      pointer: '/paths/~1contacts/put/x-forcegate-salesforce-integration',
      org: 'devorg',
      credential: 'caller',
      operation: 'upsert',
      sobject: 'Contact',
      externalIdField: 'External_Id__c',
      allowDuplicateSave: false,
      requestTemplates: [
        {
          key: 'application/json',
          text: '$input.body',
          pointer:
            '/paths/~1contacts/put/x-forcegate-salesforce-integration/requestTemplates/application~1json',
          line: 11,
        },
      ],
      upload: undefined,
      timeoutMs: 29_000,
    })
  })

  test('an upload writes a ContentVersion of at most 50 MB, its media types compared in lower case', () => {
    const api = read([
      'openapi: 3.0.1',
      'paths:',
      '  /cases/{id}/files:',
      '    post:',
      '      x-forcegate-salesforce-integration:',
      '        org: devorg',
      '        credential: integrationUser',
      '        operation: upload',
      '        upload: { linkToPathParameter: id, contentTypes: [Application/PDF] }',
    ])
    assert.deepEqual(api.problems, [])
    const integration = api.routes[0]?.integration
    assert.ok(integration?.type === 'salesforce')
    assert.equal(integration.sobject, 'ContentVersion')
    assert.deepEqual(integration.upload, {
      linkToPathParameter: 'id',
      maxBytes: 50 * 1024 * 1024,
      contentTypes: ['application/pdf'],
    })
  })
})
