import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkContractScopes } from '../../../src/auth/salesforce/salesforce-enforcer.ts'
import { terminalSafe } from '../../../src/partners/control-characters.ts'
import { PartnerError } from '../../../src/partners/partner-error.ts'
import { checkRedirectUris } from '../../../src/partners/redirect-uri-policy.ts'
import { selfServiceContracts, selfServiceTerms } from '../../../src/partners/self-service.ts'

const OFFERS = [
  { name: 'order-status', scopes: ['api'], plan: 'trial' },
  { name: 'reports', scopes: ['api', 'id'] },
]

const refused = (field: string, message: RegExp) => (e: unknown) =>
  e instanceof PartnerError &&
  e.code === 'PARTNER_INVALID_INPUT' &&
  e.field === field &&
  message.test(e.message)

describe('self-service contracts', () => {
  it('splits the requested scopes per offered API, or takes the offer when none are asked', () => {
    assert.deepEqual(selfServiceContracts(['order-status', 'reports'], ['api', 'id'], OFFERS), [
      { api: 'order-status', scopes: ['api'] },
      { api: 'reports', scopes: ['api', 'id'] },
    ])
    assert.deepEqual(selfServiceContracts(['reports'], [], OFFERS), [
      { api: 'reports', scopes: ['api', 'id'] },
    ])
  })

  it('refuses APIs and scopes that are not offered, and an empty choice', () => {
    assert.throws(
      () => selfServiceContracts(['internal-billing'], [], OFFERS),
      refused('api', /internal-billing/),
    )
    assert.throws(() => selfServiceContracts(['order-status'], ['full'], OFFERS), refused('scopes', /"full"/))
    assert.throws(() => selfServiceContracts(['order-status'], ['id'], OFFERS), refused('scopes', /"id"/))
    assert.throws(() => selfServiceContracts([], [], OFFERS), refused('api', /at least one/))
  })

  it('takes plan and status from the offer; a partner cannot choose a plan', () => {
    assert.deepEqual(
      selfServiceTerms(
        [
          { api: 'order-status', scopes: ['api'] },
          { api: 'reports', scopes: ['id'] },
        ],
        OFFERS,
        false,
      ),
      [
        { usagePlan: 'trial', status: 'active' },
        { usagePlan: undefined, status: 'pending' },
      ],
    )
    assert.deepEqual(selfServiceTerms([{ api: 'order-status', scopes: [] }], OFFERS, true), [
      { usagePlan: 'trial', status: 'pending' },
    ])
    assert.throws(
      () => selfServiceTerms([{ api: 'order-status', scopes: ['api'], usagePlan: 'gold' }], OFFERS, false),
      refused('contracts[0].usagePlan', /set by the configuration/),
    )
    assert.throws(
      () => selfServiceTerms([{ api: 'order-status', scopes: ['api', 'full'] }], OFFERS, false),
      refused('contracts[0].scopes', /"full"/),
    )
  })
})

describe('contract scopes', () => {
  const all = { requiredScopes: ['api'], scopeMode: 'all' as const }
  it('holds a route scope only when both the token and the contract grant it', () => {
    assert.doesNotThrow(() => checkContractScopes(['api', 'id'], ['api'], all))
    assert.doesNotThrow(() => checkContractScopes(['full'], ['api'], all), 'full implies api on the token')
    assert.throws(
      () => checkContractScopes(['api', 'id'], ['id'], all),
      (e: unknown) => (e as { code?: string }).code === 'GW_INSUFFICIENT_SCOPE',
    )
    assert.throws(() => checkContractScopes(['id'], ['api'], all))
    const any = { requiredScopes: ['api', 'web'], scopeMode: 'any' as const }
    assert.throws(() => checkContractScopes(['web'], ['api'], any), 'no single scope held by both')
    assert.doesNotThrow(() => checkContractScopes(['api'], [], { requiredScopes: [], scopeMode: 'all' }))
  })
})

describe('control characters', () => {
  it('are refused in redirect URIs and escaped for terminals', () => {
    assert.deepEqual(checkRedirectUris(['https://a.example/cb\u001b[2J', 'https://a.example/\u009b1m']), [
      { index: 0, reason: 'must not contain control characters' },
      { index: 1, reason: 'must not contain control characters' },
    ])
    assert.equal(terminalSafe('a\u001b[31mb\u009bc\\d'), 'a\\x1b[31mb\\x9bc\\\\d')
    assert.equal(terminalSafe('plain'), 'plain')
  })
})
