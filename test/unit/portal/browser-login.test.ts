import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sha256 } from '../../../src/lib/digest.ts'
import { BrowserLogin } from '../../../src/portal/browser-login.ts'
import { createOrgClient } from '../../../src/portal/org-client.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { CLIENT, type FakeOp, startFakeOp, USER_ID } from './fake-op.ts'

const ORIGIN = 'https://portal.example.com'
const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage
const cookiePair = (setCookie: string) => setCookie.split(';')[0]!

describe('BrowserLogin against an OpenID provider', () => {
  let op: FakeOp
  let sessions: SqliteSessionStore
  let login: BrowserLogin

  before(async () => {
    op = await startFakeOp()
    sessions = new SqliteSessionStore({ path: ':memory:' })
    login = new BrowserLogin({
      org: createOrgClient({ issuer: op.issuer, ...CLIENT }),
      sessions,
      publicOrigin: ORIGIN,
      basePath: '/portal',
    })
  })
  after(async () => {
    await sessions.close()
    await op.close()
  })
  beforeEach(() => {
    op.claims = (c) => c
    op.signing = 'good'
    op.tokenStatus = 200
    op.userinfo = (u) => u
    op.issParameterSupported = false
    op.tokenRequests.length = 0
  })

  /** Starts a login, answers it as the provider would (with `change` applied), and completes it. */
  async function roundTrip(change: (q: URLSearchParams) => void = () => {}, extraCookie = '') {
    const start = await login.beginLogin(request(), '/portal/apps')
    const url = new URL(start.location)
    op.nonce = url.searchParams.get('nonce') ?? undefined
    const query = new URLSearchParams({
      code: 'the-code',
      state: url.searchParams.get('state')!,
      iss: op.issuer,
    })
    change(query)
    const cookie = [cookiePair(start.cookies[0]!), extraCookie].filter(Boolean).join('; ')
    return { url, done: login.finishLogin(request(cookie), query) }
  }

  it('sends an authorization request with PKCE S256, state, nonce and the exact redirect URI', async () => {
    const a = new URL((await login.beginLogin(request(), undefined)).location)
    const b = new URL((await login.beginLogin(request(), undefined)).location)
    assert.equal(a.origin + a.pathname, `${op.issuer}/services/oauth2/authorize`)
    assert.equal(a.searchParams.get('response_type'), 'code')
    assert.equal(a.searchParams.get('client_id'), CLIENT.clientId)
    assert.equal(a.searchParams.get('redirect_uri'), `${ORIGIN}/portal/callback`)
    assert.equal(a.searchParams.get('code_challenge_method'), 'S256')
    assert.match(a.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(a.searchParams.get('scope'), 'openid profile email')
    for (const p of ['state', 'nonce', 'code_challenge'])
      assert.notEqual(a.searchParams.get(p), b.searchParams.get(p), `${p} is fresh per login`)
  })

  it('sets the login binding cookie as __Host-, HttpOnly, Secure, SameSite=Lax, short-lived', async () => {
    const start = await login.beginLogin(request(), undefined)
    assert.match(
      start.cookies[0]!,
      /^__Host-forcegate-login=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/,
    )
  })

  it('completes a login: the stored verifier and the same redirect URI go to the token endpoint', async () => {
    const { url, done } = await roundTrip()
    const redirect = await done
    assert.equal(redirect.location, '/portal/apps')
    assert.match(
      redirect.cookies[0]!,
      /^__Host-forcegate-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
    )
    const sent = op.tokenRequests[0]!
    assert.equal(sent.get('grant_type'), 'authorization_code')
    assert.equal(sent.get('redirect_uri'), `${ORIGIN}/portal/callback`)
    assert.equal(sent.get('client_secret'), CLIENT.clientSecret)
    const challenge = createHash('sha256').update(sent.get('code_verifier')!).digest('base64url')
    assert.equal(challenge, url.searchParams.get('code_challenge'))
    const found = await login.lookup(cookiePair(redirect.cookies[0]!))
    assert.equal(found.kind, 'active')
    assert.equal(found.kind === 'active' && found.session.userId, USER_ID)
    assert.equal(found.kind === 'active' && found.session.username, 'pat@example.com')
  })

  it('issues a new session id at login and discards the one the browser brought (fixation)', async () => {
    const first = await (await roundTrip()).done
    const planted = cookiePair(first.cookies[0]!)
    const second = await (await roundTrip(() => {}, planted)).done
    assert.notEqual(cookiePair(second.cookies[0]!), planted)
    assert.equal((await login.lookup(planted)).kind, 'expired')
  })

  it('keeps return_to on this origin', async () => {
    const start = await login.beginLogin(request(), '//evil.example.com/x')
    op.nonce = new URL(start.location).searchParams.get('nonce') ?? undefined
    const q = new URLSearchParams({
      code: 'c',
      state: new URL(start.location).searchParams.get('state')!,
      iss: op.issuer,
    })
    assert.equal((await login.finishLogin(request(cookiePair(start.cookies[0]!)), q)).location, '/portal/')
  })

  const refusals: [string, () => void, string][] = [
    ['a wrong nonce', () => (op.claims = (c) => ({ ...c, nonce: 'other' })), 'invalid'],
    ['a wrong audience', () => (op.claims = (c) => ({ ...c, aud: 'someone-else' })), 'invalid'],
    [
      'an extra audience without azp',
      () => (op.claims = (c) => ({ ...c, aud: [CLIENT.clientId, 'x'] })),
      'invalid',
    ],
    ['a wrong issuer', () => (op.claims = (c) => ({ ...c, iss: 'https://evil.example.com' })), 'invalid'],
    ['no sub', () => (op.claims = ({ sub: _s, ...c }) => c), 'invalid'],
    ['no iat', () => (op.claims = ({ iat: _i, ...c }) => c), 'invalid'],
    [
      'an expired token',
      () => (op.claims = (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 600 })),
      'invalid',
    ],
    ['a signature by another key', () => (op.signing = 'other-key'), 'invalid'],
    ['alg none', () => (op.signing = 'none'), 'invalid'],
    ['a userinfo sub that differs', () => (op.userinfo = (u) => ({ ...u, sub: 'someone' })), 'invalid'],
    ['a token endpoint that is down', () => (op.tokenStatus = 503), 'unreachable'],
  ]
  for (const [name, arrange, kind] of refusals) {
    it(`refuses an ID token or answer with ${name}: no session`, async () => {
      arrange()
      const { done } = await roundTrip()
      // finishLogin stores a session only after every check, so a refusal leaves none behind.
      await assert.rejects(done, { name: 'LoginError', kind })
    })
  }

  it('stops before the token endpoint on a foreign iss, a missing advertised iss, or a foreign state', async () => {
    await assert.rejects((await roundTrip((q) => q.set('iss', 'https://evil.example.com'))).done, {
      kind: 'invalid',
    })
    await assert.rejects((await roundTrip((q) => q.set('state', 'forged'))).done, {
      kind: 'invalid',
      reason: 'login.unknown_state',
    })
    op.issParameterSupported = true
    const fresh = new BrowserLogin({
      org: createOrgClient({ issuer: op.issuer, ...CLIENT }),
      sessions,
      publicOrigin: ORIGIN,
      basePath: '/portal',
    })
    const start = await fresh.beginLogin(request(), undefined)
    const q = new URLSearchParams({ code: 'c', state: new URL(start.location).searchParams.get('state')! })
    await assert.rejects(fresh.finishLogin(request(cookiePair(start.cookies[0]!)), q), { kind: 'invalid' })
    assert.equal(op.tokenRequests.length, 0)
  })

  it('refuses a callback without the binding cookie, and a replayed one', async () => {
    const start = await login.beginLogin(request(), undefined)
    const state = new URL(start.location).searchParams.get('state')!
    const q = new URLSearchParams({ code: 'c', state, iss: op.issuer })
    await assert.rejects(login.finishLogin(request(), q), { reason: 'login.browser_mismatch' })
    // The transaction was used up by that attempt: the real browser cannot complete it either.
    await assert.rejects(login.finishLogin(request(cookiePair(start.cookies[0]!)), q), {
      reason: 'login.unknown_state',
    })
    assert.equal(op.tokenRequests.length, 0)
  })

  it('reports a denial at the provider as denied', async () => {
    const { done } = await roundTrip((q) => {
      q.delete('code')
      q.set('error', 'access_denied')
    })
    await assert.rejects(done, { kind: 'denied', reason: 'authorization.access_denied' })
  })

  it('logs out: session gone, cookie expired, end-session URL with id_token_hint and the exact return URI', async () => {
    const redirect = await (await roundTrip()).done
    const found = await login.lookup(cookiePair(redirect.cookies[0]!))
    assert.equal(found.kind, 'active')
    const out = await login.logout(found.kind === 'active' ? found.session : undefined)
    const url = new URL(out.location)
    assert.equal(url.origin + url.pathname, `${op.issuer}/services/auth/idp/oidc/logout`)
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${ORIGIN}/portal/signed-out`)
    assert.ok(url.searchParams.get('id_token_hint'))
    assert.match(out.cookies[0]!, /^__Host-forcegate-session=; .*Max-Age=0$/)
    assert.equal((await login.lookup(cookiePair(redirect.cookies[0]!))).kind, 'expired')
  })

  it('ends a session that sat idle past the limit', async () => {
    let now = Date.now()
    const idle = new BrowserLogin({
      org: createOrgClient({ issuer: op.issuer, ...CLIENT }),
      sessions,
      publicOrigin: ORIGIN,
      basePath: '/portal',
      idleSeconds: 60,
      clock: () => now,
    })
    const start = await idle.beginLogin(request(), undefined)
    op.nonce = new URL(start.location).searchParams.get('nonce') ?? undefined
    const q = new URLSearchParams({
      code: 'c',
      state: new URL(start.location).searchParams.get('state')!,
      iss: op.issuer,
    })
    const cookie = cookiePair((await idle.finishLogin(request(cookiePair(start.cookies[0]!)), q)).cookies[0]!)
    now += 30_000
    assert.equal((await idle.lookup(cookie)).kind, 'active')
    now += 61_000
    assert.equal((await idle.lookup(cookie)).kind, 'expired')
    assert.equal(await sessions.getSession(sha256(cookie.split('=')[1]!, 'base64url'), now), undefined)
  })
})

describe('org client', () => {
  it('reports an org that does not answer as unreachable', async () => {
    const org = createOrgClient({ issuer: 'http://127.0.0.1:9', ...CLIENT })
    await assert.rejects(
      org.authorizationUrl({
        state: 's',
        nonce: 'n',
        codeVerifier: 'v'.repeat(43),
        redirectUri: 'x',
        scope: 'openid',
      }),
      { kind: 'unreachable' },
    )
  })

  it('refuses an http issuer that is not loopback', () => {
    assert.throws(() => createOrgClient({ issuer: 'http://login.example.com', ...CLIENT }), /https/)
  })
})
