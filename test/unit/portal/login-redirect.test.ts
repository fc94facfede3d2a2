import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { type FakeOp, startFakeOp } from './fake-op.ts'
import { fixedPartners, type Listener, signIn, startPortalServer } from './portal-server.ts'

describe('the redirect after sign-in, over HTTP', () => {
  let op: FakeOp
  let portal: Listener
  const sessions = new SqliteSessionStore({ path: ':memory:' })

  before(async () => {
    op = await startFakeOp()
    portal = await startPortalServer(op, {
      partners: fixedPartners([]),
      sessions,
      gatewayUrl: 'http://127.0.0.1:9',
    })
  })
  after(async () => {
    await portal.close()
    await sessions.close()
    await op.close()
  })

  it('lands on the page that sent the user to sign in, as a normalised path', async () => {
    for (const [asked, landed] of [
      ['/portal/apps?tab=1', '/portal/apps?tab=1'],
      ['/portal/x/../apps/./mine1', '/portal/apps/mine1'],
      [`${portal.url}/portal/try#top`, '/portal/try'],
    ] as const) {
      const { answer } = await signIn(op, portal.url, asked)
      assert.equal(answer.status, 303, asked)
      assert.equal(answer.headers.get('location'), landed, asked)
    }
  })

  it('sends every value that could leave the portal to the portal home instead', async () => {
    const hostile = [
      '/.//evil.example/phish',
      '/x/..//evil.example/phish',
      '/%2e//evil.example/phish',
      '/portal/..//evil.example/phish',
      '/portal/%2e%2e//evil.example/phish',
      '//evil.example/phish',
      '/\\evil.example/phish',
      '/\t/evil.example/phish',
      'https://evil.example/phish',
      `${portal.url}@evil.example/portal/`,
      'javascript:alert(1)',
      '/orders',
    ]
    for (const value of hostile) {
      const { answer } = await signIn(op, portal.url, value)
      assert.equal(answer.status, 303, value)
      assert.equal(answer.headers.get('location'), '/portal/', value)
    }
  })
})
