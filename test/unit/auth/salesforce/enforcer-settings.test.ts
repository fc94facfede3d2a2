import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  checkedScopes,
  checkedSettings,
  ENFORCER_DEFAULTS,
} from '../../../../src/auth/salesforce/enforcer-settings.ts'
import { resolveOrgEndpoints } from '../../../../src/auth/salesforce/org-endpoints.ts'
import type { SalesforceEnforcerConfig } from '../../../../src/auth/salesforce/types.ts'

const CONFIG: SalesforceEnforcerConfig = {
  id: 'orders',
  org: { issuer: 'https://acme.my.salesforce.com', introspection: { clientId: 'c', clientSecret: 's' } },
  accept: ['opaque'],
  requiredScopes: [],
  scopeMode: 'all',
}

describe('checkedSettings', () => {
  test('defaults: 300 s positive, 10 s negative, Retry-After 5, 3 s per call', () => {
    const settings = checkedSettings(CONFIG)
    assert.equal(settings.ttlMs, 300_000)
    assert.equal(settings.negativeTtlMs, 10_000)
    assert.equal(settings.retryAfterSeconds, 5)
    assert.equal(settings.timeoutMs, 3_000)
    assert.equal(settings.maxEntries, ENFORCER_DEFAULTS.maxEntries)
  })

  test('mistakes are TypeErrors at start-up', () => {
    for (const bad of [
      { ...CONFIG, id: '' },
      { ...CONFIG, accept: [] },
      { ...CONFIG, accept: ['basic'] },
      { ...CONFIG, cache: { ttlSeconds: -1 } },
      { ...CONFIG, cache: { ttlSeconds: 1.5 } },
      { ...CONFIG, cache: { negativeTtlSeconds: 301 } },
      { ...CONFIG, cache: { maxEntries: 0 } },
      { ...CONFIG, failure: { retryAfterSeconds: 0 } },
      { ...CONFIG, timeoutMs: 0 },
    ]) {
      assert.throws(() => checkedSettings(bad as SalesforceEnforcerConfig), TypeError, JSON.stringify(bad))
    }
  })
})

describe('checkedScopes', () => {
  test('scope tokens and a known mode', () => {
    assert.deepEqual(checkedScopes({ requiredScopes: ['api'], scopeMode: 'any' }), {
      requiredScopes: ['api'],
      scopeMode: 'any',
    })
    assert.throws(() => checkedScopes({ requiredScopes: ['a b'], scopeMode: 'all' }), TypeError)
    assert.throws(() => checkedScopes({ requiredScopes: ['a"'], scopeMode: 'all' }), TypeError)
    assert.throws(() => checkedScopes({ requiredScopes: [], scopeMode: 'some' as 'all' }), TypeError)
  })
})

describe('resolveOrgEndpoints', () => {
  test("Salesforce's fixed paths on the issuer host", () => {
    const endpoints = resolveOrgEndpoints({ ...CONFIG.org, issuer: 'https://acme.my.salesforce.com/' }, true)
    assert.equal(endpoints.introspectionUrl.href, 'https://acme.my.salesforce.com/services/oauth2/introspect')
    assert.equal(endpoints.userinfoUrl.href, 'https://acme.my.salesforce.com/services/oauth2/userinfo')
    assert.equal(endpoints.jwksUri, 'https://acme.my.salesforce.com/id/keys')
    assert.deepEqual(endpoints.jwtAudience, ['https://acme.my.salesforce.com/'])
  })

  test('explicit URLs win; http only for loopback hosts', () => {
    const endpoints = resolveOrgEndpoints(
      {
        ...CONFIG.org,
        issuer: 'http://127.0.0.1:8081',
        introspectionUrl: 'http://127.0.0.1:9000/introspect',
        jwtAudience: ['aud-1'],
      },
      true,
    )
    assert.equal(endpoints.introspectionUrl.href, 'http://127.0.0.1:9000/introspect')
    assert.deepEqual(endpoints.jwtAudience, ['aud-1'])
    assert.throws(
      () => resolveOrgEndpoints({ ...CONFIG.org, issuer: 'http://acme.example' }, true),
      TypeError,
    )
    assert.throws(
      () => resolveOrgEndpoints({ ...CONFIG.org, userinfoUrl: 'http://acme.example/userinfo' }, true),
      TypeError,
    )
  })

  test('opaque tokens need the introspection client; a JWT-only route does not', () => {
    const { introspection: _i, ...noClient } = CONFIG.org
    assert.throws(() => resolveOrgEndpoints(noClient, true), TypeError)
    assert.throws(
      () => resolveOrgEndpoints({ ...noClient, introspection: { clientId: 'c', clientSecret: '' } }, true),
      TypeError,
    )
    assert.equal(resolveOrgEndpoints(noClient, false).introspectionClient, undefined)
  })

  test('the org id is checked', () => {
    assert.throws(() => resolveOrgEndpoints({ ...CONFIG.org, orgId: '005000000000000' }, true), TypeError)
    assert.equal(
      resolveOrgEndpoints({ ...CONFIG.org, orgId: '00D5g000004FgAt' }, true).orgId,
      '00D5g000004FgAt',
    )
  })
})
