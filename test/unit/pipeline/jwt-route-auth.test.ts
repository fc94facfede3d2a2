import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseIdentitySource } from '../../../src/auth/identity-source.ts'
import type { JwtAuthentication, JwtAuthorizer } from '../../../src/auth/jwt/jwt-authorizer.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { jwtRouteAuth } from '../../../src/pipeline/jwt-route-auth.ts'
import type { AuthCall } from '../../../src/pipeline/types.ts'
import { makeView } from '../auth/lambda-authorizer/request-view-fixture.ts'

/** A JWT authorizer whose every token verifies, granting `granted`. */
function verifying(granted: readonly string[]): JwtAuthorizer & { verified: number } {
  const authorizer = {
    id: 'jwt',
    identitySource: parseIdentitySource('$request.header.Authorization', 'http'),
    verified: 0,
    async authenticate(): Promise<JwtAuthentication> {
      authorizer.verified++
      return { claims: { sub: 'user-1' }, scopes: [...granted], grantedScopes: granted, fromCache: false }
    },
    authorize: () => Promise.reject(new Error('routes authenticate, then check their scopes')),
  }
  return authorizer
}

const call = (): AuthCall => ({
  view: makeView({ headers: [['Authorization', 'Bearer t']] }),
  explain: undefined,
  dryRun: false,
})

test("a JWT route's scopes are an authorization check of their own, after the token is authenticated", async () => {
  const authorizer = verifying(['email'])
  const auth = jwtRouteAuth(authorizer, ['orders.write', 'admin'], (context) => ({ jwt: context }))
  assert.deepEqual(
    auth.checks.map((c) => c.name),
    ['scopes'],
  )
  const principal = await auth.authenticate(call())
  assert.equal(principal.principalId, 'user-1')
  assert.equal(authorizer.verified, 1)
  assert.throws(
    () => auth.checks[0]!.check(principal, call(), {}),
    (err: unknown) =>
      err instanceof GatewayError &&
      err.code === 'GW_INSUFFICIENT_SCOPE' &&
      err.headers?.['WWW-Authenticate'] ===
        'Bearer scope="orders.write admin" error="insufficient_scope" error_description="the token does not have the required scope"',
  )
})

test('a granted scope passes the check synchronously; a route without scopes has no check', async () => {
  const scoped = jwtRouteAuth(verifying(['admin']), ['orders.write', 'admin'], (context) => context)
  const principal = await scoped.authenticate(call())
  assert.equal(scoped.checks[0]!.check(principal, call(), {}), undefined)
  const open = jwtRouteAuth(verifying([]), [], (context) => context)
  assert.equal(open.checks.length, 0)
  assert.deepEqual(open.enrich(await open.authenticate(call())).authorizerContext, {
    claims: { sub: 'user-1' },
    scopes: [],
  })
})
