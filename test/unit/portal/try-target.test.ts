import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sha256 } from '../../../src/lib/digest.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { type FakeOp, startFakeOp } from './fake-op.ts'
import {
  fixedPartners,
  type Listener,
  partnerApp,
  recordingListener,
  type Seen,
  startPortalServer,
} from './portal-server.ts'

const TOKEN = '00Dxx!AQ.try-it-token-of-the-user'

describe('"try it" calls only the configured gateway, over HTTP', () => {
  let op: FakeOp
  let portal: Listener
  let gateway: Listener & { readonly seen: Seen[] }
  let attacker: Listener & { readonly seen: Seen[] }
  const sessions = new SqliteSessionStore({ path: ':memory:' })
  const cookie = 'forcegate-session=user-cookie'

  before(async () => {
    op = await startFakeOp()
    gateway = await recordingListener()
    attacker = await recordingListener()
    portal = await startPortalServer(op, {
      partners: fixedPartners([partnerApp('mine1', 'pat@example.com', ['api'])]),
      sessions,
      gatewayUrl: gateway.url,
    })
    const now = Date.now()
    await sessions.putSession({
      key: sha256('user-cookie', 'base64url'),
      userId: '0055g00000AbCdEAAV',
      orgId: '00D5g000004FgAtEAK',
      username: 'pat@example.com',
      displayName: 'Pat',
      issuer: op.issuer,
      idToken: undefined,
      csrfToken: 'csrf-of-pat',
      createdAt: now,
      expiresAt: now + 3_600_000,
      lastSeenAt: now,
      data: { tryClientId: 'mine1', tryToken: TOKEN, tryUntil: String(now + 3_600_000) },
    })
  })
  after(async () => {
    for (const l of [portal, gateway, attacker]) await l?.close()
    await sessions.close()
    await op?.close()
  })

  const call = (path: string) =>
    fetch(`${portal.url}/portal/try/call`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: 'csrf-of-pat', app: 'mine1', path }),
    })

  it('sends the token to the gateway for a path on it, resolved there', async () => {
    for (const [path, arrived] of [
      ['/orders?status=open', '/orders?status=open'],
      ['/portal/../orders/1', '/orders/1'],
      ['/%2F%2Fnot-a-host', '/%2F%2Fnot-a-host'],
      [`${gateway.url}/orders#frag`, '/orders'],
    ] as const) {
      gateway.seen.length = 0
      const res = await call(path)
      assert.equal(res.status, 200, path)
      assert.match(await res.text(), /HTTP 200/, path)
      assert.deepEqual(gateway.seen, [{ url: arrived, authorization: `Bearer ${TOKEN}` }], path)
    }
  })

  it('refuses every path that resolves off the gateway, calling nobody', async () => {
    const away = `127.0.0.1:${attacker.port}`
    const gw = `127.0.0.1:${gateway.port}`
    const hostile = [
      `/.//${away}/steal`,
      `//${away}/steal`,
      `/x/..//${away}/steal`,
      `/%2e//${away}/steal`,
      `/.%2E//${away}/steal`,
      `/\\${away}/steal`,
      `\\\\${away}/steal`,
      `/\t/${away}/steal`,
      `/\n/${away}/steal`,
      `/\r\n/${away}/steal`,
      `http://${away}/steal`,
      `http:\\\\${away}/steal`,
      `http:\t//${away}/steal`,
      `http://${gw}@${away}/steal`,
      `//${gw}@${away}/steal`,
      `http://user:pw@${gw}/orders`,
      `https://${gw}/orders`,
      `ftp://${away}/steal`,
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/plain,x',
    ]
    gateway.seen.length = 0
    for (const path of hostile) {
      const res = await call(path)
      assert.deepEqual(attacker.seen, [], JSON.stringify(path))
      assert.equal(res.status, 400, JSON.stringify(path))
      assert.match(await res.text(), /Enter a path on the gateway/, JSON.stringify(path))
    }
    assert.deepEqual(attacker.seen, [])
    assert.deepEqual(gateway.seen, [])
  })

  it('does not pre-fill a path from a link that would leave the gateway', async () => {
    const link = `/portal/try?app=mine1&path=${encodeURIComponent(`/.//127.0.0.1:${attacker.port}/x`)}`
    const html = await (await fetch(`${portal.url}${link}`, { headers: { cookie } })).text()
    assert.match(html, /name="path" value="\/"/)
    assert.doesNotMatch(html, new RegExp(`${attacker.port}`))
    const kept = await (
      await fetch(`${portal.url}/portal/try?app=mine1&path=%2Forders%3Fa%3D1`, { headers: { cookie } })
    ).text()
    assert.match(kept, /name="path" value="\/orders\?a=1"/)
  })
})
