import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { GatewayRequest } from '../../../src/http/gateway-request.ts'
import { sha256 } from '../../../src/lib/digest.ts'
import { sessionAdapter } from '../../../src/pipeline/open-portal.ts'
import type { RouteAuth } from '../../../src/pipeline/types.ts'
import { sessionRouteAuth } from '../../../src/portal/session-route-auth.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'

const NOW = 1_000_000

function view(method: string, headers: Record<string, string>): { request: GatewayRequest } {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k, [v]] as const))
  return {
    request: {
      requestId: 'r',
      method,
      path: '/pages/me',
      rawQuery: '',
      rawHeaders: Object.entries(headers),
      headers: map,
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      receivedAt: NOW,
      body: undefined,
    },
  }
}

describe('sessionRouteAuth', async () => {
  const store = new SqliteSessionStore({ path: ':memory:' })
  after(() => store.close())
  await store.putSession({
    key: sha256('cookie-value', 'base64url'),
    userId: '0055g00000AbCdEAAV',
    orgId: '00D5g000004FgAtEAK',
    username: 'pat@example.com',
    displayName: 'Pat',
    issuer: 'https://acme.my.salesforce.com',
    idToken: undefined,
    csrfToken: 'c',
    createdAt: NOW,
    expiresAt: NOW + 3_600_000,
    lastSeenAt: NOW,
    data: {},
  })
  const auth = sessionRouteAuth(store, 'fg-session', {
    clock: () => NOW,
    origins: ['https://portal.example.com'],
  })

  it('fits the pipeline RouteAuth shape', () => {
    const asRouteAuth: RouteAuth = sessionAdapter(auth)
    assert.equal(asRouteAuth.trustedHeaderNames.size, 0)
  })

  it('puts the Salesforce identity into requestContext.authorizer', async () => {
    const steps: Record<string, unknown>[] = []
    const out = await auth.authorize(view('GET', { cookie: 'other=1; fg-session=cookie-value' }), (s) =>
      steps.push({ ...s }),
    )
    assert.equal(out.principalId, '0055g00000AbCdEAAV')
    assert.deepEqual(out.authorizerContext, {
      principalId: '0055g00000AbCdEAAV',
      userId: '0055g00000AbCdEAAV',
      orgId: '00D5g000004FgAtEAK',
      username: 'pat@example.com',
    })
    assert.equal(steps[0]?.outcome, 'allow')
    assert.doesNotMatch(JSON.stringify(steps), /cookie-value/)
  })

  it('401 without a cookie or with an unknown one (JSON, no redirect)', async () => {
    await assert.rejects(auth.authorize(view('GET', {})), { code: 'GW_IDENTITY_MISSING', status: 401 })
    await assert.rejects(auth.authorize(view('GET', { cookie: 'fg-session=nope' })), {
      code: 'GW_TOKEN_INVALID',
      status: 401,
    })
  })

  it('403 for a state-changing request from another origin, even with the cookie', async () => {
    const cookie = 'fg-session=cookie-value'
    await assert.rejects(auth.authorize(view('POST', { cookie, origin: 'https://evil.example.com' })), {
      status: 403,
    })
    await assert.rejects(auth.authorize(view('DELETE', { cookie, 'sec-fetch-site': 'cross-site' })), {
      status: 403,
    })
    const ok = await auth.authorize(view('POST', { cookie, origin: 'https://portal.example.com' }))
    assert.equal(ok.principalId, '0055g00000AbCdEAAV')
  })

  it('401 once the session has been idle too long', async () => {
    const later = sessionRouteAuth(store, 'fg-session', { clock: () => NOW + 120_000, idleSeconds: 60 })
    await assert.rejects(later.authorize(view('GET', { cookie: 'fg-session=cookie-value' })), { status: 401 })
  })
})
