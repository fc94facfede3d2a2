import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compilePolicy } from '../../../../src/auth/policy/compile-policy.ts'

const allow = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }

function reasonOf(doc: unknown): string | undefined {
  const result = compilePolicy(doc)
  return result.ok ? undefined : result.detail
}

test('a Statement given as one object or as an array compiles alike', () => {
  const one = compilePolicy({ Version: '2012-10-17', Statement: allow })
  const many = compilePolicy({ Version: '2012-10-17', Statement: [allow, { ...allow, Effect: 'Deny' }] })
  assert.ok(one.ok && many.ok)
  assert.equal(one.policy.statements.length, 1)
  assert.deepEqual(
    many.policy.statements.map((s) => [s.index, s.effect]),
    [
      [0, 'Allow'],
      [1, 'Deny'],
    ],
  )
})

test('Action and Resource accept a string or an array of strings', () => {
  const result = compilePolicy({
    Statement: { Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['a', 'b'] },
  })
  assert.ok(result.ok)
  assert.deepEqual(
    result.policy.statements[0]!.resources.map((r) => r.source),
    ['a', 'b'],
  )
})

test('actions match execute-api:Invoke case-insensitively, with wildcards', () => {
  const covers = (Action: unknown) => {
    const result = compilePolicy({ Statement: { Effect: 'Allow', Action, Resource: '*' } })
    assert.ok(result.ok)
    return result.policy.statements[0]!.coversInvoke
  }
  assert.equal(covers('execute-api:Invoke'), true)
  assert.equal(covers('EXECUTE-API:invoke'), true)
  assert.equal(covers('execute-api:*'), true)
  assert.equal(covers('*'), true)
  assert.equal(covers('execute-api:Inv?ke'), true)
  assert.equal(covers('execute-api:InvalidateCache'), false)
  assert.equal(covers('lambda:InvokeFunction'), false)
  assert.equal(covers(['s3:GetObject', 'execute-api:Invoke']), true)
})

test('NotAction covers Invoke unless it names it', () => {
  const covers = (NotAction: unknown) => {
    const result = compilePolicy({ Statement: { Effect: 'Deny', NotAction, Resource: '*' } })
    assert.ok(result.ok)
    return result.policy.statements[0]!.coversInvoke
  }
  assert.equal(covers('s3:*'), true)
  assert.equal(covers('execute-api:*'), false)
})

test('malformed documents are rejected with a reason naming the element', () => {
  assert.match(reasonOf(null)!, /policyDocument must be an object/)
  assert.match(reasonOf([allow])!, /policyDocument must be an object/)
  assert.match(reasonOf({ Version: '2012-10-17' })!, /Statement is missing/)
  assert.match(reasonOf({ Version: '2024-01-01', Statement: allow })!, /Version/)
  assert.match(reasonOf({ Statement: [allow, 'x'] })!, /Statement\[1\] must be an object/)
  assert.match(reasonOf({ Statement: { ...allow, Effect: 'allow' } })!, /Effect must be Allow or Deny/)
  assert.match(reasonOf({ Statement: { ...allow, Effect: undefined } })!, /Effect/)
  assert.match(
    reasonOf({ Statement: { Effect: 'Allow', Resource: '*' } })!,
    /exactly one of Action and NotAction/,
  )
  assert.match(reasonOf({ Statement: { ...allow, NotAction: 'x' } })!, /exactly one of Action and NotAction/)
  assert.match(
    reasonOf({ Statement: { Effect: 'Allow', Action: '*' } })!,
    /exactly one of Resource and NotResource/,
  )
  assert.match(
    reasonOf({ Statement: { ...allow, Resource: [] } })!,
    /Resource must be a string or a non-empty array/,
  )
  assert.match(reasonOf({ Statement: { ...allow, Resource: 42 } })!, /Resource must be/)
  assert.match(reasonOf({ Statement: { ...allow, Action: ['x', 1] } })!, /Action must be/)
  assert.match(reasonOf({ Statement: { ...allow, Principal: '*' } })!, /unsupported element Principal/)
  assert.match(reasonOf({ Statement: { ...allow, Sid: 7 } })!, /Sid must be a string/)
  assert.match(reasonOf({ Statement: { ...allow, Resource: `arn:${'x'.repeat(600)}` } })!, /longer than 512/)
  assert.match(reasonOf({ Statement: { ...allow, Condition: 'x' } })!, /Condition must be an object/)
  assert.match(
    reasonOf({ Statement: { ...allow, Condition: { IpAddress: { 'aws:SourceIp': 'nope' } } } })!,
    /invalid IP/,
  )
})

test('an empty Statement array compiles and allows nothing', () => {
  const result = compilePolicy({ Version: '2012-10-17', Statement: [] })
  assert.ok(result.ok)
  assert.equal(result.policy.statements.length, 0)
})

test('the 2008 policy language version and a missing Version are accepted, as IAM accepts them', () => {
  assert.ok(compilePolicy({ Version: '2008-10-17', Statement: allow }).ok)
  assert.ok(compilePolicy({ Statement: allow }).ok)
})
