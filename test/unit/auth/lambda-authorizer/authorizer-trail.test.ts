import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  createTrail,
  fingerprint,
  formatTrail,
} from '../../../../src/auth/lambda-authorizer/authorizer-trail.ts'

test('fingerprints are short, stable and not the value', () => {
  assert.match(fingerprint('Bearer abc'), /^[0-9a-f]{16}$/)
  assert.equal(fingerprint('Bearer abc'), fingerprint('Bearer abc'))
  assert.notEqual(fingerprint('Bearer abc'), fingerprint('Bearer abd'))
})

test('a trail formats as one line per step', () => {
  const trail = createTrail('bearer')
  trail.arn = 'arn:aws:execute-api:r:a:api/prod/GET/x'
  trail.identity = [
    { expression: 'method.request.header.Authorization', present: true, sha256: 'abcd' },
    { expression: 'stageVariables.mode', present: false },
  ]
  trail.cache = 'miss'
  trail.invoked = true
  trail.latencyMs = 12
  trail.statementIndex = 1
  trail.outcome = 'deny'
  trail.reason = 'policy.deny.explicit'
  assert.deepEqual(formatTrail(trail), [
    "authorizer 'bearer' for arn:aws:execute-api:r:a:api/prod/GET/x",
    'identity method.request.header.Authorization: sha256 abcd',
    'identity stageVariables.mode: missing',
    'cache miss',
    'invoked in 12 ms',
    'decided by Statement[1]',
    'deny (policy.deny.explicit)',
  ])
  assert.deepEqual(formatTrail(createTrail('x')), ["authorizer 'x'"])
})
