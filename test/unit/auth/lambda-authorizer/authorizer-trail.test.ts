import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fingerprint } from '../../../../src/auth/lambda-authorizer/authorizer-trail.ts'

test('fingerprints are short, stable and not the value', () => {
  assert.match(fingerprint('Bearer abc'), /^[0-9a-f]{16}$/)
  assert.equal(fingerprint('Bearer abc'), fingerprint('Bearer abc'))
  assert.notEqual(fingerprint('Bearer abc'), fingerprint('Bearer abd'))
})
