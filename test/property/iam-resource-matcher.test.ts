import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { compilePolicy } from '../../src/auth/policy/compile-policy.ts'
import { evaluatePolicy } from '../../src/auth/policy/evaluate-policy.ts'
import { formatExecuteApiArn } from '../../src/auth/policy/execute-api-arn.ts'
import { compileGlob } from '../../src/auth/policy/glob-pattern.ts'
import { propertyParameters } from './property-runs.ts'

/**
 * The IAM resource matcher and policy evaluation against a reference written for clarity, not
 * speed: wildcard matching by the textbook recursion over pattern and subject, and IAM's
 * decision rule (an applicable Deny wins, then an applicable Allow, else deny) spelled out.
 */

/** `*` matches any run (empty too, across `/` and `:`), `?` exactly one character. */
function referenceGlob(pattern: string, subject: string): boolean {
  const memo = new Map<number, boolean>()
  const go = (p: number, s: number): boolean => {
    const key = p * (subject.length + 1) + s
    const seen = memo.get(key)
    if (seen !== undefined) return seen
    let result: boolean
    if (p === pattern.length) result = s === subject.length
    else if (pattern[p] === '*') result = go(p + 1, s) || (s < subject.length && go(p, s + 1))
    else if (s === subject.length) result = false
    else result = (pattern[p] === '?' || pattern[p] === subject[s]) && go(p + 1, s + 1)
    memo.set(key, result)
    return result
  }
  return go(0, 0)
}

// A small alphabet makes coincidences (and so matches) common; the separators are the ones
// ARNs use, where a matcher that treated them specially would go wrong.
const char = fc.constantFrom('a', 'b', 'A', '/', ':', '-')
const subject = fc.string({ unit: char, maxLength: 12 })
const patternChar = fc.constantFrom('a', 'b', 'A', '/', ':', '-', '*', '?', '*', '?')
const freePattern = fc.string({ unit: patternChar, maxLength: 10 })

/** A pattern and a subject built to fit it, so the matching half of the space is explored. */
const fittingPair = freePattern.chain((pattern) =>
  fc
    .tuple(...[...pattern].map((c) => (c === '*' ? subject : c === '?' ? char : fc.constant(c))))
    .map((parts) => [pattern, parts.join('')] as const),
)

const pair = fc.oneof(fc.tuple(freePattern, subject), fittingPair)

test('wildcard matching agrees with the reference on every pattern and subject', () => {
  fc.assert(
    fc.property(pair, ([pattern, s]) => {
      assert.equal(compileGlob(pattern).matches(s), referenceGlob(pattern, s), `${pattern} vs ${s}`)
    }),
    propertyParameters(5000),
  )
})

const arnPart = fc.constantFrom('prod', 'dev', 'GET', 'POST', 'orders', '42', 'a', '')
const requestArn = fc
  .tuple(
    fc.constantFrom('prod', 'dev'),
    fc.constantFrom('GET', 'POST', 'DELETE'),
    fc.array(fc.constantFrom('orders', '42', 'a', 'admin', 'x:y'), { maxLength: 3 }),
  )
  .map(([stage, method, path]) =>
    formatExecuteApiArn({
      region: 'eu-west-1',
      accountId: '111122223333',
      apiId: 'a1b2c3d4e5',
      stage,
      method,
      path: `/${path.join('/')}`,
    }),
  )

/** Resource patterns as authorizers write them: ARN prefixes with wildcards in any part. */
const resourcePattern = fc.oneof(
  fc.constant('*'),
  fc
    .tuple(
      fc.constantFrom('eu-west-1', '*', 'eu-*', '?u-west-1'),
      fc.constantFrom('111122223333', '*'),
      fc.constantFrom('a1b2c3d4e5', '*', 'a1b2*'),
      fc.array(fc.oneof(arnPart, fc.constantFrom('*', '?', 'or*', '4?', 'x:*', 'admin')), {
        minLength: 1,
        maxLength: 5,
      }),
    )
    .map(
      ([region, account, api, rest]) => `arn:aws:execute-api:${region}:${account}:${api}/${rest.join('/')}`,
    ),
  freePattern,
)

const action = fc.constantFrom(
  'execute-api:Invoke',
  'execute-api:invoke',
  'EXECUTE-API:INVOKE',
  'execute-api:*',
  'execute-api:Inv?ke',
  '*',
  'execute-api:ManageConnections',
  's3:GetObject',
  'execute-api:Invoke*x',
)

const oneOrMany = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 })) as fc.Arbitrary<T | T[]>

const statement = fc.record({
  effect: fc.constantFrom('Allow', 'Deny'),
  actionKey: fc.constantFrom('Action', 'NotAction'),
  actions: oneOrMany(action),
  resourceKey: fc.constantFrom('Resource', 'NotResource'),
  resources: oneOrMany(resourcePattern),
})
type GeneratedStatement = typeof statement extends fc.Arbitrary<infer S> ? S : never

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])

/** IAM action matching: case-insensitive, wildcards as in resources; built as a regex per case. */
function referenceActionMatch(pattern: string, actionName: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\-]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 'is').test(actionName)
}

function referenceApplies(s: GeneratedStatement, arn: string): boolean {
  const actionHit = list(s.actions).some((a) => referenceActionMatch(a, 'execute-api:Invoke'))
  const resourceHit = list(s.resources).some((r) => referenceGlob(r, arn))
  return (
    (s.actionKey === 'Action' ? actionHit : !actionHit) &&
    (s.resourceKey === 'Resource' ? resourceHit : !resourceHit)
  )
}

function referenceDecision(statements: readonly GeneratedStatement[], arn: string): 'allow' | 'deny' {
  const applicable = statements.filter((s) => referenceApplies(s, arn))
  if (applicable.some((s) => s.effect === 'Deny')) return 'deny'
  return applicable.some((s) => s.effect === 'Allow') ? 'allow' : 'deny'
}

test('policy evaluation agrees with the reference IAM rule on every policy and request ARN', () => {
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), requestArn, (statements, arn) => {
      const document = {
        Version: '2012-10-17',
        Statement: statements.map((s) => ({
          Effect: s.effect,
          [s.actionKey]: s.actions,
          [s.resourceKey]: s.resources,
        })),
      }
      const compiled = compilePolicy(document)
      assert.ok(compiled.ok, JSON.stringify(compiled))
      const decision = evaluatePolicy(compiled.policy, arn)
      assert.equal(
        decision.effect,
        referenceDecision(statements, arn),
        `${JSON.stringify(document)} on ${arn}`,
      )
    }),
    propertyParameters(2000),
  )
})
