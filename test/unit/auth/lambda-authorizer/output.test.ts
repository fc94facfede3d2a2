import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type OutputFormat, parseAuthorizerOutput } from '../../../../src/auth/lambda-authorizer/output.ts'

const REST: OutputFormat = { contextValues: 'scalars-as-strings', simpleResponses: false }
const HTTP_V1: OutputFormat = { contextValues: 'json', simpleResponses: false }
const HTTP_V2: OutputFormat = { contextValues: 'json', simpleResponses: false }
const SIMPLE: OutputFormat = { contextValues: 'json', simpleResponses: true }

const policyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
}

function reason(untrusted: unknown, format: OutputFormat): string | undefined {
  const result = parseAuthorizerOutput(untrusted, format)
  return result.ok ? undefined : result.reason
}

test('REST: principalId, a compiled policy, stringified context and usageIdentifierKey', () => {
  const result = parseAuthorizerOutput(
    {
      principalId: 'user|a1',
      policyDocument,
      context: { tenantId: 't-9', isAdmin: false, quota: 42, ratio: 0.5, gone: null },
      usageIdentifierKey: 'key-1',
    },
    REST,
  )
  assert.ok(result.ok)
  assert.equal(result.output.kind, 'policy')
  if (result.output.kind !== 'policy') return
  assert.equal(result.output.principalId, 'user|a1')
  assert.equal(result.output.policy.statements.length, 1)
  assert.deepEqual(result.output.context, {
    tenantId: 't-9',
    isAdmin: 'false',
    quota: '42',
    ratio: '0.5',
    gone: null,
  })
  assert.equal(result.output.usageIdentifierKey, 'key-1')
})

test('REST: a missing context is an empty one', () => {
  const result = parseAuthorizerOutput({ principalId: 'p', policyDocument }, REST)
  assert.ok(result.ok)
  assert.deepEqual(result.output.context, {})
  assert.equal('usageIdentifierKey' in result.output, false)
})

test('REST: nested objects, arrays and non-finite numbers in context are failures', () => {
  assert.equal(reason({ principalId: 'p', policyDocument, context: { a: { b: 1 } } }, REST), 'output.context')
  assert.equal(reason({ principalId: 'p', policyDocument, context: { a: [1] } }, REST), 'output.context')
  assert.equal(
    reason({ principalId: 'p', policyDocument, context: { a: Number.NaN } }, REST),
    'output.context',
  )
  assert.equal(reason({ principalId: 'p', policyDocument, context: 'x' }, REST), 'output.context')
})

test('REST: principalId and policyDocument are required', () => {
  assert.equal(reason({ policyDocument }, REST), 'output.principal_id')
  assert.equal(reason({ principalId: 7, policyDocument }, REST), 'output.principal_id')
  assert.equal(reason({ principalId: 'p' }, REST), 'output.policy_missing')
  assert.equal(reason({ principalId: 'p', policyDocument: { Statement: 'x' } }, REST), 'policy.malformed')
  assert.equal(
    reason({ principalId: 'p', policyDocument, usageIdentifierKey: 1 }, REST),
    'output.usage_identifier_key',
  )
})

test('an HTTP-style response, null, a string or an array is a failure', () => {
  assert.equal(reason({ statusCode: 200, body: 'ok' }, REST), 'output.http_response')
  assert.equal(reason({ statusCode: 401, body: '{}' }, SIMPLE), 'output.http_response')
  assert.equal(reason(null, REST), 'output.not_object')
  assert.equal(reason(undefined, REST), 'output.not_object')
  assert.equal(reason('Allow', REST), 'output.not_object')
  assert.equal(reason([], SIMPLE), 'output.not_object')
})

test('HTTP API: policy-mode context is kept as returned, nested values included', () => {
  for (const format of [HTTP_V1, HTTP_V2]) {
    const context = { roles: ['a', 'b'], limits: { rpm: 60 }, n: 1 }
    const result = parseAuthorizerOutput({ principalId: 'p', policyDocument, context }, format)
    assert.ok(result.ok)
    assert.deepEqual(result.output.context, context)
  }
})

test('HTTP API: claims is a reserved context key', () => {
  assert.equal(
    reason({ principalId: 'p', policyDocument, context: { claims: {} } }, HTTP_V2),
    'output.context',
  )
  assert.equal(reason({ isAuthorized: true, context: { claims: 'x' } }, SIMPLE), 'output.context')
})

test('simple responses: isAuthorized must be a boolean; context is optional and kept', () => {
  const ok = parseAuthorizerOutput({ isAuthorized: true, context: { tenant: 't', roles: ['a'] } }, SIMPLE)
  assert.deepEqual(ok, {
    ok: true,
    output: { kind: 'simple', isAuthorized: true, context: { tenant: 't', roles: ['a'] } },
  })
  const no = parseAuthorizerOutput({ isAuthorized: false }, SIMPLE)
  assert.deepEqual(no, { ok: true, output: { kind: 'simple', isAuthorized: false, context: {} } })
  assert.equal(reason({ isAuthorized: 'true' }, SIMPLE), 'output.is_authorized')
  assert.equal(reason({ principalId: 'p', policyDocument }, SIMPLE), 'output.is_authorized')
  assert.equal(reason({ isAuthorized: true, context: [1] }, SIMPLE), 'output.context')
})

test('without simple responses, an isAuthorized answer is not a policy', () => {
  assert.equal(reason({ isAuthorized: true }, HTTP_V2), 'output.principal_id')
  assert.equal(reason({ isAuthorized: true }, REST), 'output.principal_id')
})

test('the parsed context is frozen: it is cached and shared between requests', () => {
  const rest = parseAuthorizerOutput({ principalId: 'p', policyDocument, context: { a: 1 } }, REST)
  const simple = parseAuthorizerOutput({ isAuthorized: true, context: { a: 1 } }, SIMPLE)
  assert.ok(rest.ok && simple.ok)
  assert.ok(Object.isFrozen(rest.output.context))
  assert.ok(Object.isFrozen(simple.output.context))
})
