import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compileGlob } from '../../../../src/auth/policy/glob-pattern.ts'

const ARN = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders/42'

const cases: [pattern: string, subject: string, expected: boolean][] = [
  ['*', ARN, true],
  ['*', '', true],
  [ARN, ARN, true],
  [ARN.toUpperCase(), ARN, false],
  [`${ARN}/`, ARN, false],
  ['arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/*', ARN, true],
  ['arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/*/GET/orders/*', ARN, true],
  ['arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/*/GET/orders/*', `${ARN}/items`, true],
  ['arn:aws:execute-api:*/GET/orders/*', 'arn:aws:execute-api:x:y:z/prod/GET/orders/', true],
  ['arn:aws:execute-api:*/GET/orders/*', 'arn:aws:execute-api:x:y:z/prod/GET/orders', false],
  ['arn:aws:execute-api:*:*:*', ARN, true],
  ['arn:aws:execute-api:eu-west-1:*', ARN, true],
  ['arn:aws:execute-api:us-east-1:*', ARN, false],
  ['arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders/4?', ARN, true],
  ['arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders/?', ARN, false],
  ['arn:aws:execute-api:eu-west-?:*/GET/*', ARN, true],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'aXbYbZc', true],
  ['a*b*c', 'acb', false],
  ['a*bc*bc', 'abcbc', true],
  ['a*ab', 'ab', false],
  ['*a*a*a*a*a*b', 'a'.repeat(5000), false],
  ['?', '', false],
  ['??', 'ab', true],
  ['a?*', 'a', false],
  ['*?', 'x', true],
]

for (const [pattern, subject, expected] of cases) {
  test(`${pattern} ${expected ? 'matches' : 'does not match'} ${subject.slice(0, 60)}`, () => {
    assert.equal(compileGlob(pattern).matches(subject), expected)
  })
}

test('colons inside the path do not disturb matching', () => {
  const arn = 'arn:aws:execute-api:eu-west-1:1:api/prod/GET/foo/bar:bar/baz'
  assert.equal(compileGlob('arn:aws:execute-api:eu-west-1:1:api/prod/GET/foo/*').matches(arn), true)
  assert.equal(compileGlob('arn:aws:execute-api:eu-west-1:1:api/prod/GET/foo/bar:bar/baz').matches(arn), true)
})
