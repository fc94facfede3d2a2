import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { BrowserSession, LoginTransaction } from '../../../src/portal/session-store.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'

const session = (over: Partial<BrowserSession> = {}): BrowserSession => ({
  key: 'k1',
  userId: '0055g00000AbCdEAAV',
  orgId: '00D5g000004FgAtEAK',
  username: 'pat@example.com',
  displayName: 'Pat',
  issuer: 'https://acme.my.salesforce.com',
  idToken: 'id.token.value',
  csrfToken: 'csrf',
  createdAt: 1000,
  expiresAt: 5000,
  lastSeenAt: 1000,
  data: {},
  ...over,
})

const tx = (over: Partial<LoginTransaction> = {}): LoginTransaction => ({
  state: 's1',
  nonce: 'n',
  codeVerifier: 'v',
  binding: 'b',
  returnTo: '/portal/',
  purpose: 'login',
  data: {},
  expiresAt: 5000,
  ...over,
})

describe('SqliteSessionStore', () => {
  const store = new SqliteSessionStore({ path: ':memory:' })
  after(() => store.close())

  it('stores, reads, updates and deletes sessions; expired ones read as absent', async () => {
    await store.putSession(session())
    assert.equal((await store.getSession('k1', 2000))?.username, 'pat@example.com')
    assert.equal(await store.getSession('k1', 5000), undefined)
    assert.equal(await store.updateSession('k1', 3000, { a: 'b' }), true)
    const updated = await store.getSession('k1', 3000)
    assert.equal(updated?.lastSeenAt, 3000)
    assert.deepEqual(updated?.data, { a: 'b' })
    assert.equal(await store.updateSession('missing', 3000, {}), false)
    await store.deleteSession('k1')
    assert.equal(await store.getSession('k1', 2000), undefined)
  })

  it('hands out a login transaction once, and never after it expired', async () => {
    await store.putTransaction(tx())
    assert.equal((await store.takeTransaction('s1', 2000))?.nonce, 'n')
    assert.equal(await store.takeTransaction('s1', 2000), undefined)
    await store.putTransaction(tx({ state: 's2' }))
    assert.equal(await store.takeTransaction('s2', 6000), undefined)
    assert.equal(await store.takeTransaction('s2', 2000), undefined)
  })

  it('sweeps what has expired', async () => {
    await store.putSession(session({ key: 'old', expiresAt: 100 }))
    await store.putSession(session({ key: 'new', expiresAt: 9000 }))
    await store.putTransaction(tx({ state: 'old', expiresAt: 100 }))
    assert.equal(await store.sweep(200), 2)
    assert.ok(await store.getSession('new', 200))
  })
})
