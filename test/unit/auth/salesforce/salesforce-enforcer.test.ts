import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createSalesforceEnforcer } from '../../../../src/auth/salesforce/salesforce-enforcer.ts'
import type { ExplainStep, SalesforceEnforcerConfig } from '../../../../src/auth/salesforce/types.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'

const ORG = '00D5g000004FgAtEAK'
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)
const CONFIG: SalesforceEnforcerConfig = {
  id: 'orders',
  org: {
    issuer: 'https://acme.my.salesforce.com',
    orgId: ORG,
    introspection: { clientId: 'c', clientSecret: 's' },
  },
  accept: ['jwt', 'opaque'],
  requiredScopes: ['api'],
  scopeMode: 'all',
}

/** Answers every call with `body`; counts the calls. */
function orgStub(body: unknown) {
  const calls: string[] = []
  const fn = (async (url: URL) => {
    calls.push(url.pathname)
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fn, calls }
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof GatewayError)
  return err
}

describe('createSalesforceEnforcer', () => {
  test('credential problems and unknown token shapes are answered with no call to the org', async () => {
    const stub = orgStub({ active: true })
    const enforcer = createSalesforceEnforcer(CONFIG, { fetch: stub.fn, clock: () => NOW })
    for (const [values, status, code] of [
      [undefined, 401, 'GW_IDENTITY_MISSING'],
      [['Bearer a', 'Bearer b'], 400, 'GW_CREDENTIAL_REQUEST_MALFORMED'],
      [['Bearer '], 400, 'GW_CREDENTIAL_REQUEST_MALFORMED'],
      [['Basic dXNlcjpwYXNz'], 400, 'GW_CREDENTIAL_REQUEST_MALFORMED'],
      [['Bearer not-a-salesforce-token'], 401, 'GW_TOKEN_INVALID'],
      [['Bearer 00D5g000009ZzZz!AQotherOrg'], 401, 'GW_TOKEN_INVALID'],
      [['Bearer e30.e30.c2ln'], 401, 'GW_TOKEN_INVALID'],
    ] as const) {
      const err = await rejection(enforcer.authenticate(values))
      assert.deepEqual([err.status, err.code], [status, code], JSON.stringify(values))
    }
    assert.deepEqual(stub.calls, [])
  })

  test('the trail ends with the decision and its reason', async () => {
    const enforcer = createSalesforceEnforcer(CONFIG, { fetch: orgStub({}).fn, clock: () => NOW })
    const steps: ExplainStep[] = []
    await rejection(enforcer.authenticate(['Bearer 00D5g000009ZzZz!AQotherOrg'], (s) => steps.push(s)))
    assert.deepEqual(steps.at(-1), {
      step: 'decision',
      outcome: 'unauthorized',
      status: 401,
      code: 'GW_TOKEN_INVALID',
      reason: 'sf.org_mismatch',
    })
    const missing: ExplainStep[] = []
    await rejection(enforcer.authenticate(undefined, (s) => missing.push(s)))
    assert.deepEqual(missing, [
      {
        step: 'decision',
        outcome: 'unauthorized',
        status: 401,
        code: 'GW_IDENTITY_MISSING',
        reason: 'sf.identity_missing',
      },
    ])
  })

  test('without a configured org id, the prefix is not pre-filtered but the answer must match it', async () => {
    const { orgId: _o, ...org } = CONFIG.org
    const stub = orgStub({
      active: true,
      scope: 'api',
      client_id: 'app',
      sub: `https://login.salesforce.com/id/${ORG}/0055g00000AbCdEAAZ`,
    })
    const enforcer = createSalesforceEnforcer({ ...CONFIG, org }, { fetch: stub.fn, clock: () => NOW })
    const identity = await enforcer.authenticate(['Bearer 00D5g000004FgAt!AQtoken'])
    assert.equal(identity.orgId, ORG)
    const err = await rejection(enforcer.authenticate(['Bearer 00D5g000009ZzZz!AQtoken']))
    assert.equal(err.reason, 'sf.org_mismatch')
    assert.deepEqual(stub.calls, ['/services/oauth2/introspect', '/services/oauth2/introspect'])
  })

  test('identities handed out are separate objects with frozen scopes', async () => {
    const stub = orgStub({
      active: true,
      scope: 'api',
      client_id: 'app',
      sub: `https://login.salesforce.com/id/${ORG}/0055g00000AbCdEAAZ`,
    })
    const enforcer = createSalesforceEnforcer(CONFIG, { fetch: stub.fn, clock: () => NOW })
    const first = await enforcer.authenticate(['Bearer 00D5g000004FgAt!AQtoken'])
    const second = await enforcer.authenticate(['Bearer 00D5g000004FgAt!AQtoken'])
    assert.notEqual(first, second)
    assert.ok(Object.isFrozen(second.scopes))
    assert.deepEqual([first.fromCache, second.fromCache], [false, true])
  })

  test('forRoute checks its scopes at start-up', () => {
    const enforcer = createSalesforceEnforcer(CONFIG, { fetch: orgStub({}).fn })
    assert.throws(() => enforcer.forRoute({ requiredScopes: ['bad scope'], scopeMode: 'all' }), TypeError)
    assert.equal(enforcer.forRoute({ requiredScopes: [], scopeMode: 'any' }).id, 'orders')
  })

  test('configuration mistakes are TypeErrors', () => {
    assert.throws(
      () => createSalesforceEnforcer({ ...CONFIG, org: { ...CONFIG.org, issuer: 'http://acme.example' } }),
      TypeError,
    )
    assert.throws(() => createSalesforceEnforcer({ ...CONFIG, requiredScopes: ['a"b'] }), TypeError)
  })
})
