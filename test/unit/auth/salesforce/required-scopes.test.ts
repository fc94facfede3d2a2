import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { grantsRequiredScopes, grantsScope } from '../../../../src/auth/salesforce/required-scopes.ts'

describe('grantsRequiredScopes', () => {
  test('no required scopes: any token, even one without scopes', () => {
    assert.ok(grantsRequiredScopes([], [], 'all'))
    assert.ok(grantsRequiredScopes([], [], 'any'))
  })

  test("'all' needs every scope, 'any' one of them", () => {
    const granted = ['api', 'orders.read']
    assert.ok(grantsRequiredScopes(granted, ['api', 'orders.read'], 'all'))
    assert.ok(!grantsRequiredScopes(granted, ['api', 'orders.write'], 'all'))
    assert.ok(grantsRequiredScopes(granted, ['orders.write', 'orders.read'], 'any'))
    assert.ok(!grantsRequiredScopes(granted, ['orders.write', 'billing.read'], 'any'))
  })

  test('matching is exact: no prefixes, no case folding', () => {
    assert.ok(!grantsScope(['orders'], 'orders.read'))
    assert.ok(!grantsScope(['API'], 'api'))
  })

  test("'full' implies Salesforce's scopes except the refresh grant, and no custom scope", () => {
    assert.ok(grantsScope(['full'], 'api'))
    assert.ok(grantsScope(['full'], 'chatter_api'))
    assert.ok(!grantsScope(['full'], 'refresh_token'))
    assert.ok(!grantsScope(['full'], 'offline_access'))
    assert.ok(!grantsScope(['full'], 'orders.read'))
    assert.ok(grantsRequiredScopes(['full', 'orders.read'], ['api', 'orders.read'], 'all'))
  })
})
