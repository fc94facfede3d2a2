import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatExecuteApiArn, methodArnTooLong } from '../../../../src/auth/policy/execute-api-arn.ts'

const base = { region: 'eu-west-1', accountId: '111122223333', apiId: 'a1b2c3d4e5', stage: 'prod' }

test('the methodArn carries the concrete path without its leading slash', () => {
  const arn = formatExecuteApiArn({ ...base, method: 'GET', path: '/orders/42' })
  assert.equal(arn, 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders/42')
})

test('the root resource ends in a slash after the verb', () => {
  const arn = formatExecuteApiArn({ ...base, method: 'POST', path: '/' })
  assert.equal(arn, 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/POST/')
})

test('an HTTP API routeArn has the same shape, with the $default stage', () => {
  const arn = formatExecuteApiArn({ ...base, stage: '$default', method: 'GET', path: '/pets' })
  assert.equal(arn, 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/$default/GET/pets')
})

test('colons and slashes inside the path are kept verbatim', () => {
  const arn = formatExecuteApiArn({ ...base, method: 'GET', path: '/foo/bar:bar/baz' })
  assert.equal(arn, 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/foo/bar:bar/baz')
})

test('a method ARN over 1600 bytes is too long', () => {
  const short = formatExecuteApiArn({ ...base, method: 'GET', path: '/x' })
  assert.equal(methodArnTooLong(short), false)
  const long = formatExecuteApiArn({ ...base, method: 'GET', path: `/${'é'.repeat(800)}` })
  assert.equal(methodArnTooLong(long), true)
})
