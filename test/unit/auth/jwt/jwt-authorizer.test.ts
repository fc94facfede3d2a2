import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createJwtAuthorizer, type JwtAuthorizer } from '../../../../src/auth/jwt/jwt-authorizer.ts'
import { GatewayError } from '../../../../src/errors/gateway-error.ts'
import { mintToken } from './fixtures/craft-token.ts'
import { type IdpServer, startIdp, testClock } from './fixtures/idp-server.ts'
import { rsaKey } from './fixtures/keys.ts'

let idp: IdpServer
before(async () => {
  idp = await startIdp([rsaKey.jwk])
})
after(() => idp.close())

let clock: ReturnType<typeof testClock>
let authorizer: JwtAuthorizer
beforeEach(() => {
  idp.mode = 'ok'
  idp.resetCounts()
  clock = testClock()
  authorizer = createJwtAuthorizer(
    { id: 'orders-jwt', issuer: idp.issuer, audience: ['orders-api'], jwksUri: idp.jwksUri },
    { fetch, clock: clock.now },
  )
})

const nowSeconds = () => Math.floor(clock.now() / 1000)

function token(claims: Record<string, unknown> = {}): Promise<string> {
  return mintToken(rsaKey, {
    iss: idp.issuer,
    aud: 'orders-api',
    sub: 'user-1',
    iat: nowSeconds(),
    exp: nowSeconds() + 600,
    scope: 'orders.read email',
    ...claims,
  })
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`)
  return err
}

describe('createJwtAuthorizer', () => {
  test('reads the Authorization header by default', () => {
    assert.deepEqual(authorizer.identitySource, {
      expression: '$request.header.Authorization',
      kind: 'header',
      name: 'authorization',
    })
  })

  test('the Bearer prefix is optional and matched case-insensitively', async () => {
    const t = await token()
    for (const headerValue of [`Bearer ${t}`, `bearer ${t}`, `BEARER ${t}`, t]) {
      const result = await authorizer.authorize({ headerValue, routeScopes: [] })
      assert.equal(result.claims.sub, 'user-1')
    }
  })

  test('a missing or empty identity is 401 with a bare Bearer challenge', async () => {
    for (const headerValue of [undefined, '']) {
      const err = await rejection(authorizer.authorize({ headerValue, routeScopes: [] }))
      assert.equal(err.code, 'GW_IDENTITY_MISSING')
      assert.equal(err.status, 401)
      assert.deepEqual(err.headers, { 'WWW-Authenticate': 'Bearer' })
    }
  })

  test('an invalid token is 401 invalid_token with a generic description that never echoes the token', async () => {
    const t = await token({ aud: 'someone-else' })
    const err = await rejection(authorizer.authorize({ headerValue: `Bearer ${t}`, routeScopes: [] }))
    assert.equal(err.code, 'GW_TOKEN_INVALID')
    assert.equal(err.status, 401)
    assert.equal(err.reason, 'jwt.aud')
    const challenge = err.headers?.['WWW-Authenticate'] ?? ''
    assert.equal(
      challenge,
      'Bearer scope="" error="invalid_token" error_description="the token is not valid"',
    )
    assert.ok(!challenge.includes(t.slice(0, 20)))
    assert.ok(!(err.detail ?? '').includes(t.slice(0, 20)))
  })

  test('another scheme, or Bearer without a token, fails as an invalid token (401, as API Gateway answers)', async () => {
    for (const headerValue of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer  ']) {
      const err = await rejection(authorizer.authorize({ headerValue, routeScopes: [] }))
      assert.equal(err.code, 'GW_TOKEN_INVALID', headerValue)
      assert.equal(err.reason, 'jwt.malformed', headerValue)
    }
  })

  test('a valid token without any of the route scopes is 403 insufficient_scope', async () => {
    const t = await token()
    const err = await rejection(
      authorizer.authorize({ headerValue: t, routeScopes: ['orders.write', 'admin'] }),
    )
    assert.equal(err.code, 'GW_INSUFFICIENT_SCOPE')
    assert.equal(err.status, 403)
    assert.equal(
      err.headers?.['WWW-Authenticate'],
      'Bearer scope="orders.write admin" error="insufficient_scope" error_description="the token does not have the required scope"',
    )
  })

  test('one matching scope among the route scopes is enough; no route scopes means any valid token', async () => {
    const t = await token()
    assert.deepEqual(
      (await authorizer.authorize({ headerValue: t, routeScopes: ['admin', 'email'] })).scopes,
      ['orders.read', 'email'],
    )
    await authorizer.authorize({ headerValue: t, routeScopes: [] })
  })

  test('scp is read when scope is absent', async () => {
    const t = await token({ scope: undefined, scp: ['email'] })
    const result = await authorizer.authorize({ headerValue: t, routeScopes: ['email'] })
    assert.deepEqual(result.scopes, ['email'])
  })

  test('scopes are null when the token has no scope claim', async () => {
    const t = await token({ scope: undefined })
    assert.equal((await authorizer.authorize({ headerValue: t, routeScopes: [] })).scopes, null)
  })

  test('claims reach the event as strings', async () => {
    const t = await token({ groups: ['a', 'b'], email_verified: true, tenant: { id: 7 } })
    const { claims } = await authorizer.authorize({ headerValue: t, routeScopes: [] })
    assert.equal(claims.exp, String(nowSeconds() + 600))
    assert.equal(claims.groups, '[a b]')
    assert.equal(claims.email_verified, 'true')
    assert.equal(claims.tenant, '{"id":7}')
    assert.equal(claims.scope, 'orders.read email')
  })

  test('the same token is verified once, then served from the cache; scopes are still checked per route', async () => {
    const t = await token()
    assert.equal((await authorizer.authorize({ headerValue: t, routeScopes: [] })).fromCache, false)
    assert.equal(
      (await authorizer.authorize({ headerValue: `Bearer ${t}`, routeScopes: ['email'] })).fromCache,
      true,
    )
    const err = await rejection(authorizer.authorize({ headerValue: t, routeScopes: ['admin'] }))
    assert.equal(err.code, 'GW_INSUFFICIENT_SCOPE')
    assert.equal(idp.count('/jwks'), 1)
    const shared = await authorizer.authorize({ headerValue: t, routeScopes: [] })
    assert.ok(Object.isFrozen(shared.claims) && Object.isFrozen(shared.scopes), 'shared values are frozen')
  })

  test('a cached decision never outlives exp', async () => {
    const t = await token({ exp: nowSeconds() + 60 })
    await authorizer.authorize({ headerValue: t, routeScopes: [] })
    clock.advance(59_000)
    assert.equal((await authorizer.authorize({ headerValue: t, routeScopes: [] })).fromCache, true)
    clock.advance(1_000)
    // At exp the entry is gone; the verifier's 5 s tolerance still accepts, uncached.
    assert.equal((await authorizer.authorize({ headerValue: t, routeScopes: [] })).fromCache, false)
    clock.advance(5_000)
    assert.equal(
      (await rejection(authorizer.authorize({ headerValue: t, routeScopes: [] }))).reason,
      'jwt.exp',
    )
  })

  test('verifier tuning passes through (no clock tolerance: invalid at exp itself)', async () => {
    const strict = createJwtAuthorizer(
      { id: 'strict', issuer: idp.issuer, audience: ['orders-api'], jwksUri: idp.jwksUri },
      { fetch, clock: clock.now, verifier: { clockToleranceSeconds: 0 } },
    )
    const t = await token({ exp: nowSeconds() + 60 })
    await strict.authorize({ headerValue: t, routeScopes: [] })
    clock.advance(60_000)
    assert.equal((await rejection(strict.authorize({ headerValue: t, routeScopes: [] }))).reason, 'jwt.exp')
  })

  test('an unreachable key set at cold start is 503 with Retry-After, not 401', async () => {
    idp.mode = 'error-500'
    const err = await rejection(authorizer.authorize({ headerValue: await token(), routeScopes: [] }))
    assert.equal(err.code, 'GW_IDP_UNAVAILABLE')
    assert.equal(err.status, 503)
    assert.ok(err.headers?.['Retry-After'] !== undefined)
  })

  test('configuration mistakes fail at construction', () => {
    const base = { id: 'x', issuer: idp.issuer, audience: ['a'] }
    assert.throws(() => createJwtAuthorizer({ ...base, audience: [] }), TypeError)
    assert.throws(() => createJwtAuthorizer({ ...base, identitySource: 'header.Authorization' }))
    assert.throws(() => createJwtAuthorizer({ ...base, issuer: 'http://idp.example.com' }), TypeError)
    const custom = createJwtAuthorizer({ ...base, identitySource: '$request.header.X-Token' })
    assert.equal(custom.identitySource.name, 'x-token')
  })
})
