import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import type { BrowserSession, LoginTransaction, SessionStore } from '../../../src/portal/session-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'

/** How a suite opens one backend: `fresh` names an empty store, `open` opens it (again). */
export interface SessionStoreBackend {
  fresh(): Promise<string>
  open(location: string, box: SecretBox): Promise<SessionStore>
  /** Every value of every row of the session tables, as the database holds them. */
  raw(location: string): Promise<string>
}

export const ID_TOKEN = 'id-token-PLAINTEXT-marker'
export const DATA_TOKEN = 'access-token-PLAINTEXT-marker'

export const session = (over: Partial<BrowserSession> = {}): BrowserSession => ({
  key: 'k1',
  userId: '0055g00000AbCdEAAV',
  orgId: '00D5g000004FgAtEAK',
  username: 'pat@example.com',
  displayName: 'Pat',
  issuer: 'https://acme.my.salesforce.com',
  idToken: ID_TOKEN,
  csrfToken: 'csrf-PLAINTEXT-marker',
  createdAt: 1000,
  expiresAt: 5000,
  lastSeenAt: 1000,
  data: {},
  ...over,
})

export const tx = (over: Partial<LoginTransaction> = {}): LoginTransaction => ({
  state: 's1',
  nonce: 'n',
  codeVerifier: 'verifier-PLAINTEXT-marker',
  binding: 'b',
  returnTo: '/portal/',
  purpose: 'login',
  data: {},
  expiresAt: 5000,
  ...over,
})

/** What every session store promises, whatever holds the rows. */
export function sessionStoreContract(backend: SessionStoreBackend): void {
  const key = randomBytes(32)
  const openFresh = async () => {
    const location = await backend.fresh()
    return { location, store: await backend.open(location, new SecretBox(key)) }
  }

  it('stores, reads, updates and deletes sessions; expired ones read as absent', async () => {
    const { store } = await openFresh()
    try {
      await store.putSession(session())
      assert.equal((await store.getSession('k1', 2000))?.username, 'pat@example.com')
      assert.equal(await store.getSession('k1', 5000), undefined)
      assert.equal(await store.updateSession('k1', 3000, { a: 'b' }), true)
      const updated = await store.getSession('k1', 3000)
      assert.equal(updated?.lastSeenAt, 3000)
      assert.deepEqual(updated?.data, { a: 'b' })
      assert.equal(updated?.idToken, ID_TOKEN)
      assert.equal(await store.updateSession('missing', 3000, {}), false)
      await store.putSession(session({ expiresAt: 9000 }))
      assert.equal((await store.getSession('k1', 6000))?.expiresAt, 9000, 'a put replaces')
      await store.deleteSession('k1')
      assert.equal(await store.getSession('k1', 2000), undefined)
      assert.equal(await store.updateSession('k1', 3000, {}), false, 'an update never brings it back')
      assert.equal(await store.getSession('k1', 2000), undefined)
    } finally {
      await store.close()
    }
  })

  it('hands out a login transaction once, and never after it expired', async () => {
    const { store } = await openFresh()
    try {
      await store.putTransaction(tx())
      assert.equal((await store.takeTransaction('s1', 2000))?.nonce, 'n')
      assert.equal(await store.takeTransaction('s1', 2000), undefined)
      await store.putTransaction(tx({ state: 's2' }))
      assert.equal(await store.takeTransaction('s2', 6000), undefined)
      assert.equal(await store.takeTransaction('s2', 2000), undefined)
    } finally {
      await store.close()
    }
  })

  it('gives a transaction to one of many callbacks racing for it', async () => {
    const { store } = await openFresh()
    try {
      await store.putTransaction(tx({ state: 'raced' }))
      const taken = await Promise.all(Array.from({ length: 8 }, () => store.takeTransaction('raced', 2000)))
      assert.equal(taken.filter((t) => t !== undefined).length, 1)
    } finally {
      await store.close()
    }
  })

  it('sweeps what has expired', async () => {
    const { store } = await openFresh()
    try {
      await store.putSession(session({ key: 'old', expiresAt: 100 }))
      await store.putSession(session({ key: 'new', expiresAt: 9000 }))
      await store.putTransaction(tx({ state: 'old', expiresAt: 100 }))
      assert.equal(await store.sweep(200), 2)
      assert.ok(await store.getSession('new', 200))
    } finally {
      await store.close()
    }
  })

  it('seals every record: the rows hold no token, and another key opens nothing', async () => {
    const { location, store } = await openFresh()
    await store.putSession(session({ data: { tryToken: DATA_TOKEN } }))
    await store.putTransaction(tx())
    await store.close()
    const raw = await backend.raw(location)
    assert.ok(raw.length > 0)
    for (const marker of ['PLAINTEXT-marker', 'pat@example.com', '0055g00000AbCdEAAV'])
      assert.equal(raw.includes(marker), false, `${marker} is in the rows`)
    const other = await backend.open(location, new SecretBox(randomBytes(32)))
    try {
      assert.equal(await other.getSession('k1', 2000), undefined)
      assert.equal(await other.takeTransaction('s1', 2000), undefined)
    } finally {
      await other.close()
    }
    const same = await backend.open(location, new SecretBox(key))
    try {
      assert.equal((await same.getSession('k1', 2000))?.data.tryToken, DATA_TOKEN, 'kept across a restart')
    } finally {
      await same.close()
    }
  })
}
