import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  applyParameterMappings,
  compileParameterMappings,
} from '../../../../src/integrations/mapping/parameter-mapping.ts'
import { compileRequestValidator } from '../../../../src/integrations/mapping/request-validation.ts'

describe('parameter mapping expressions', () => {
  test('request side: method request, context, stage variables and literals', () => {
    const m = compileParameterMappings(
      [
        ['integration.request.path.id', 'method.request.path.petId'],
        ['integration.request.querystring.t', 'method.request.querystring.type'],
        ['integration.request.header.X-User', 'context.authorizer.principalId'],
        ['integration.request.header.X-Table', 'stageVariables.table'],
        ['integration.request.header.X-Fixed', "'v1'"],
        ['integration.request.header.X-Missing', 'method.request.header.Nope'],
      ],
      'request',
    )
    const out = applyParameterMappings(m, {
      path: { petId: '7' },
      querystring: { type: ['dog'] },
      header: {},
      context: { authorizer: { principalId: 'u1' } },
      stageVariables: { table: 'pets' },
    })
    assert.deepEqual(
      out.map(([t, v]) => `${t.location}.${t.name}=${v}`),
      ['path.id=7', 'querystring.t=dog', 'header.X-User=u1', 'header.X-Table=pets', 'header.X-Fixed=v1'],
    )
  })
  test('response side: integration response header and body JSONPath', () => {
    const m = compileParameterMappings(
      [
        ['method.response.header.X-Req', 'integration.response.header.x-request-id'],
        ['method.response.header.X-Name', 'integration.response.body.pet.name'],
      ],
      'response',
    )
    const out = applyParameterMappings(m, {
      responseHeader: { 'x-request-id': ['r1'] },
      responseBody: '{"pet":{"name":"Rex"}}',
    })
    assert.deepEqual(
      out.map(([t, v]) => `${t.name}=${v}`),
      ['X-Req=r1', 'X-Name=Rex'],
    )
  })
  test('a body JSONPath keeps every digit of a 64-bit id, as Java reads it', () => {
    const m = compileParameterMappings(
      [
        ['method.response.header.X-Id', 'integration.response.body.id'],
        ['method.response.header.X-Ids', 'integration.response.body.ids'],
      ],
      'response',
    )
    const out = applyParameterMappings(m, {
      responseBody: '{"id": 1234567890123456789, "ids": [9007199254740993]}',
    })
    assert.deepEqual(
      out.map(([t, v]) => `${t.name}=${v}`),
      ['X-Id=1234567890123456789', 'X-Ids=[9007199254740993]'],
    )
  })
  test('an expression API Gateway refuses names what it expected', () => {
    assert.throws(
      () => compileParameterMappings([['integration.request.body.x', "'a'"]], 'request'),
      /expected integration\.request\.\{header\|querystring\|path\}\.NAME/,
    )
    assert.throws(
      () =>
        compileParameterMappings([['integration.request.header.x', 'method.response.header.y']], 'request'),
      /expected 'literal'/,
    )
  })
})

describe('request validation', () => {
  const model = {
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, price: { type: 'number', minimum: 0, exclusiveMinimum: true } },
  }
  const v = compileRequestValidator(
    { validateRequestBody: true, validateRequestParameters: true },
    { path: [], querystring: ['type'], header: ['X-Tenant'] },
    new Map([['application/json', model]]),
  )
  const base = {
    path: {},
    querystring: { type: 'dog' },
    header: { 'x-tenant': 't' },
    mediaType: 'application/json',
  }
  test('missing required parameters: AWS message, BAD_REQUEST_PARAMETERS', () => {
    const r = v.validate({ ...base, querystring: {}, header: {}, body: '{"name":"x"}' })
    assert.deepEqual(r.ok ? undefined : [r.responseType, r.message], [
      'BAD_REQUEST_PARAMETERS',
      'Missing required request parameters: [type, X-Tenant]',
    ])
  })
  test('an invalid body: Invalid request body, BAD_REQUEST_BODY (draft-4 exclusiveMinimum honoured)', () => {
    const r = v.validate({ ...base, body: '{"name":"x","price":0}' })
    assert.deepEqual(r.ok ? undefined : [r.responseType, r.message], [
      'BAD_REQUEST_BODY',
      'Invalid request body',
    ])
    assert.equal(v.validate({ ...base, body: '{"name":"x","price":0.5}' }).ok, true)
    assert.equal(v.validate({ ...base, body: 'not json' }).ok, false)
  })
})
