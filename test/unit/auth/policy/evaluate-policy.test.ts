import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CompiledPolicy, compilePolicy } from '../../../../src/auth/policy/compile-policy.ts'
import { evaluatePolicy } from '../../../../src/auth/policy/evaluate-policy.ts'

const API = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5'
const GET_ORDER = `${API}/prod/GET/orders/42`

function policy(...Statement: unknown[]): CompiledPolicy {
  const result = compilePolicy({ Version: '2012-10-17', Statement })
  assert.ok(result.ok, result.ok ? '' : result.detail)
  return result.policy
}

const stmt = (Effect: string, Resource: unknown, extra: Record<string, unknown> = {}) => ({
  Effect,
  Action: 'execute-api:Invoke',
  Resource,
  ...extra,
})

test('a matching Allow allows and names its statement', () => {
  const p = policy(stmt('Allow', `${API}/prod/POST/orders`), stmt('Allow', `${API}/prod/GET/orders/*`))
  assert.deepEqual(evaluatePolicy(p, GET_ORDER), { effect: 'allow', statementIndex: 1 })
})

test('an explicit Deny beats an Allow, wherever it sits', () => {
  const p = policy(stmt('Allow', `${API}/*`), stmt('Deny', `${API}/prod/GET/*`))
  assert.deepEqual(evaluatePolicy(p, GET_ORDER), { effect: 'deny', reason: 'explicit', statementIndex: 1 })
})

test('no applicable statement is an implicit deny', () => {
  const p = policy(stmt('Allow', `${API}/prod/GET/orders`), stmt('Deny', `${API}/prod/DELETE/*`))
  assert.deepEqual(evaluatePolicy(p, GET_ORDER), { effect: 'deny', reason: 'implicit' })
  assert.deepEqual(evaluatePolicy(policy(), GET_ORDER), { effect: 'deny', reason: 'implicit' })
})

test('a statement for another action does not apply', () => {
  const p = policy({ Effect: 'Allow', Action: 'execute-api:InvalidateCache', Resource: '*' })
  assert.deepEqual(evaluatePolicy(p, GET_ORDER), { effect: 'deny', reason: 'implicit' })
})

test('*/* after the stage covers the root resource', () => {
  const p = policy(stmt('Allow', `${API}/prod/*/*`))
  assert.equal(evaluatePolicy(p, `${API}/prod/GET/`).effect, 'allow')
})

test('NotResource applies to every ARN it does not name', () => {
  const p = policy(stmt('Allow', '*'), { Effect: 'Deny', Action: '*', NotResource: `${API}/prod/GET/*` })
  assert.equal(evaluatePolicy(p, GET_ORDER).effect, 'allow')
  assert.deepEqual(evaluatePolicy(p, `${API}/prod/DELETE/orders/42`), {
    effect: 'deny',
    reason: 'explicit',
    statementIndex: 1,
  })
})

test('NotAction naming Invoke keeps the statement from applying', () => {
  const p = policy(stmt('Allow', '*'), { Effect: 'Deny', NotAction: 'execute-api:Invoke', Resource: '*' })
  assert.equal(evaluatePolicy(p, GET_ORDER).effect, 'allow')
})

test('IpAddress conditions on aws:SourceIp are evaluated against the caller', () => {
  const p = policy(
    stmt('Allow', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } }),
  )
  assert.equal(evaluatePolicy(p, GET_ORDER, { sourceIp: '203.0.113.7' }).effect, 'allow')
  assert.equal(evaluatePolicy(p, GET_ORDER, { sourceIp: '::ffff:203.0.113.7' }).effect, 'allow')
  assert.equal(evaluatePolicy(p, GET_ORDER, { sourceIp: '2001:db8::1' }).effect, 'allow')
  assert.equal(evaluatePolicy(p, GET_ORDER, { sourceIp: '198.51.100.1' }).effect, 'deny')
  assert.equal(evaluatePolicy(p, GET_ORDER, {}).effect, 'deny')
})

test('NotIpAddress denies outside the range', () => {
  const p = policy(
    stmt('Allow', '*'),
    stmt('Deny', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
  )
  assert.equal(evaluatePolicy(p, GET_ORDER, { sourceIp: '10.1.2.3' }).effect, 'allow')
  assert.equal(evaluatePolicy(p, GET_ORDER, { sourceIp: '203.0.113.7' }).effect, 'deny')
})

test('a condition on a key we cannot populate makes its statement not apply', () => {
  const p = policy(stmt('Allow', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } }))
  assert.deepEqual(evaluatePolicy(p, GET_ORDER, { sourceIp: '203.0.113.7' }), {
    effect: 'deny',
    reason: 'implicit',
  })
})

test('keys absent from the request follow IAM: negated, IfExists and Null "true" operators are satisfied', () => {
  const withCondition = (Condition: unknown) => policy(stmt('Allow', '*', { Condition }))
  const decide = (Condition: unknown) =>
    evaluatePolicy(withCondition(Condition), GET_ORDER, { sourceIp: '203.0.113.7' }).effect
  assert.equal(decide({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }), 'allow')
  assert.equal(decide({ ArnNotLike: { 'aws:PrincipalArn': 'arn:*' } }), 'allow')
  assert.equal(decide({ StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }), 'allow')
  assert.equal(decide({ Null: { 'aws:SourceVpc': 'true' } }), 'allow')
  assert.equal(decide({ Null: { 'aws:SourceVpc': 'false' } }), 'deny')
  assert.equal(decide({ Bool: { 'aws:SecureTransport': 'true' } }), 'deny')
  assert.equal(
    decide({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } }),
    'deny',
  )
  assert.equal(decide({ IpAddressIfExists: { 'aws:SourceIp': '203.0.113.0/24' } }), 'allow')
})

test('NotIpAddress is satisfied when the caller address is unknown', () => {
  const p = policy(stmt('Allow', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))
  assert.equal(evaluatePolicy(p, GET_ORDER, {}).effect, 'allow')
})

test('evaluation builds no RegExp: the policy is compiled once, up front', () => {
  const p = policy(stmt('Allow', `${API}/*/GET/orders/*`), stmt('Deny', `${API}/prod/DELETE/*`))
  const original = globalThis.RegExp
  let constructed = 0
  globalThis.RegExp = new Proxy(original, {
    construct(target, args) {
      constructed++
      return Reflect.construct(target, args)
    },
    apply(target, self, args) {
      constructed++
      return Reflect.apply(target, self, args)
    },
  })
  try {
    for (let i = 0; i < 1000; i++) evaluatePolicy(p, `${API}/prod/GET/orders/${i}`)
  } finally {
    globalThis.RegExp = original
  }
  assert.equal(constructed, 0)
})
