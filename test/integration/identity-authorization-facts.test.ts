import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { IdentityFactsResolver } from '../../src/auth/salesforce/identity-facts-resolver.ts'
import { readIdentityRequirement } from '../../src/config/openapi/read-identity-requirement.ts'
import { readSalesforceScheme } from '../../src/config/openapi/read-salesforce-scheme.ts'
import { readSessionScheme } from '../../src/config/openapi/read-session-scheme.ts'
import { testClock } from '../helpers/test-clock.ts'

const JANE = { username: 'jane@forcegate.example.com', password: 'Jane-Developer-1' }

describe('identity facts: sources in order of cost, cached never beyond the token', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org?.close())

  async function jane() {
    const app = org.seed.connectedApps.find((a) => a.name === 'Employee Blog')!
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        ...JANE,
      }),
    })
    const body = (await res.json()) as { access_token: string; id: string }
    const [orgId, userId] = body.id.split('/').slice(-2) as [string, string]
    return { token: body.access_token, issuer: org.issuer, orgId, userId }
  }

  function recorder() {
    const steps: Record<string, unknown>[] = []
    return {
      steps,
      explain: (s: Record<string, unknown>) => steps.push(s),
      last: () => steps.filter((s) => s.step === 'identity facts').at(-1),
    }
  }

  test('an entry lives until the token expires when that comes before the TTL', async () => {
    const clock = testClock()
    const resolver = new IdentityFactsResolver(
      { clock: clock.now },
      { ttlMs: 3_600_000, maxEntries: 10, timeoutMs: 3000 },
    )
    const credential = { ...(await jane()), expiresAt: clock.now() + 5000 }
    const r = recorder()
    const first = await resolver.facts(credential, ['userType'], r.explain)
    assert.deepEqual(first.userType, { value: 'STANDARD', source: 'identity_url' })
    assert.deepEqual(r.last(), { step: 'identity facts', cached: false, asked: ['identity_url'] })
    await resolver.facts(credential, ['userType'], r.explain)
    assert.deepEqual(r.last(), { step: 'identity facts', cached: true, asked: [] })
    clock.advance(5001)
    await resolver.facts(credential, ['userType'], r.explain)
    assert.deepEqual(r.last(), { step: 'identity facts', cached: false, asked: ['identity_url'] })
  })

  test('a cached entry grows by the sources a later route needs, each asked once', async () => {
    const clock = testClock()
    const resolver = new IdentityFactsResolver(
      { clock: clock.now },
      { ttlMs: 60_000, maxEntries: 10, timeoutMs: 3000 },
    )
    const credential = { ...(await jane()), expiresAt: undefined }
    const r = recorder()
    await resolver.facts(credential, ['customPermissions'], r.explain)
    const facts = await resolver.facts(credential, ['permissionSets', 'userType'], r.explain)
    assert.deepEqual(r.last(), { step: 'identity facts', cached: true, asked: ['rest_query'] })
    assert.deepEqual(facts.permissionSets, { value: ['Blog_Author'], source: 'rest_query' })
    assert.deepEqual(facts.customPermissions?.value, ['Publish_Blog_Posts'])
  })

  test('claims of a verified ID token come first: nothing is asked for what they state', async () => {
    const clock = testClock()
    const resolver = new IdentityFactsResolver(
      { clock: clock.now },
      { ttlMs: 60_000, maxEntries: 10, timeoutMs: 3000 },
    )
    const credential = {
      ...(await jane()),
      expiresAt: undefined,
      idTokenClaims: { custom_permissions: { Publish_Blog_Posts: true, Moderate_Blog_Posts: false } },
    }
    const r = recorder()
    const facts = await resolver.facts(credential, ['customPermissions'], r.explain)
    assert.deepEqual(facts.customPermissions, { value: ['Publish_Blog_Posts'], source: 'id_token' })
    assert.deepEqual(r.last(), { step: 'identity facts', cached: false, asked: [] })
  })

  test('a token the org no longer honours is 401, not a missing fact', async () => {
    const resolver = new IdentityFactsResolver(
      { clock: Date.now },
      { ttlMs: 60_000, maxEntries: 10, timeoutMs: 3000 },
    )
    const credential = { ...(await jane()), expiresAt: undefined }
    await assert.rejects(
      resolver.facts({ ...credential, token: `${credential.token.slice(0, 18)}NotAToken` }, ['userType']),
      (err: Error & { code?: string }) => err.code === 'GW_TOKEN_INVALID',
    )
  })
})

describe('require: configuration is checked once, every problem with its pointer', () => {
  const read = (value: unknown) => {
    const problems: string[] = []
    const spec = readIdentityRequirement(value, (path, expected) =>
      problems.push(`${path.join('/')}: ${expected}`),
    )
    return { spec, problems }
  }

  test('a plain list is anyOf; every kind is read', () => {
    const { spec, problems } = read({
      userType: ['STANDARD'],
      profile: ['Standard User'],
      permissionSets: ['Blog_Author'],
      permissionSetGroups: { allOf: ['Editorial_Team'] },
      customPermissions: { anyOf: ['A'], allOf: ['B'] },
      customAttributes: { Department: ['Engineering'] },
    })
    assert.deepEqual(problems, [])
    assert.deepEqual(spec?.permissionSets, { anyOf: ['Blog_Author'], allOf: [] })
    assert.deepEqual(spec?.customPermissions, { anyOf: ['A'], allOf: ['B'] })
  })

  test('unknown kinds, empty lists and bad shapes are named by path', () => {
    const { spec, problems } = read({
      usertype: ['STANDARD'],
      permissionSets: [],
      customPermissions: { oneOf: ['A'] },
      customAttributes: { Department: 'Engineering' },
    })
    assert.equal(spec, undefined)
    assert.deepEqual(problems, [
      'require/usertype: is not a known requirement (userType, profile, permissionSets, permissionSetGroups, customPermissions, customAttributes)',
      'require/permissionSets: expected a non-empty list of names',
      'require/customPermissions: expected a list of names, or { anyOf: [...] } and/or { allOf: [...] }',
      'require/customAttributes/Department: expected a non-empty list of values',
    ])
  })

  test('problems point into the scheme, on bearer and session schemes alike', () => {
    const pointer = '/components/securitySchemes/staff'
    const bearer = {
      name: 'staff',
      pointer,
      raw: { 'x-forcegate-salesforce': { org: 'devorg', require: { permissionSets: { anyOf: [] } } } },
    }
    assert.throws(
      () => readSalesforceScheme('api.yaml', bearer, 'API', new Set(['devorg']), () => undefined),
      (err: Error & { pointer?: string }) =>
        err.pointer === `${pointer}/x-forcegate-salesforce/require/permissionSets/anyOf`,
    )
    const session = {
      name: 'staff',
      pointer,
      raw: { 'x-forcegate-session': { require: { userTyp: ['STANDARD'] } } },
    }
    assert.throws(
      () => readSessionScheme('api.yaml', session, () => undefined),
      (err: Error & { pointer?: string }) => err.pointer === `${pointer}/x-forcegate-session/require/userTyp`,
    )
    const fine = readSessionScheme(
      'api.yaml',
      { name: 'staff', pointer, raw: { 'x-forcegate-session': { require: { userType: ['STANDARD'] } } } },
      () => undefined,
    )
    assert.deepEqual(fine.require, { userType: ['STANDARD'] })
    assert.equal(fine.cacheTtlSeconds, 300)
  })
})
