import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clientIdOf } from '../../src/observability/access-log-fields.ts'

test('the access log names the client app: a Salesforce identity, then a JWT client_id, azp or cid', () => {
  assert.equal(clientIdOf({ userId: '005x', clientId: '3MVG9app' }), '3MVG9app')
  assert.equal(clientIdOf({ claims: { sub: 'u', client_id: 'cli' }, fromCache: false }), 'cli')
  assert.equal(clientIdOf({ claims: { sub: 'u', azp: 'spa' } }), 'spa')
  assert.equal(clientIdOf({ claims: { sub: 'u', cid: 'okta' } }), 'okta')
  assert.equal(clientIdOf({ claims: { sub: 'u', client_id: 42 } }), null)
  assert.equal(clientIdOf({ principalId: 'p', context: {} }), null)
  assert.equal(clientIdOf(undefined), null)
})
