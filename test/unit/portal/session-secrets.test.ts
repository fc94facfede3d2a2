import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { sessionSecretBox } from '../../../src/portal/session-secret-box.ts'
import type { BrowserSession } from '../../../src/portal/session-store.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { CLIENT, type FakeOp, startFakeOp } from './fake-op.ts'
import {
  answerAuthorization,
  cookieHeader,
  cookiesOf,
  fixedPartners,
  type Listener,
  partnerApp,
  recordingListener,
  type Seen,
  signIn,
  startPortalServer,
} from './portal-server.ts'

// The modes must come from the store, not from a kind umask.
process.umask(0o022)

const newKey = () => randomBytes(32).toString('base64')
const mode = (path: string) => statSync(path).mode & 0o777

/** Every row of both tables, and the raw bytes of the database and its WAL, as text. */
function rawState(file: string): { rows: string; bytes: string } {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const rows = [
      ...db.prepare('SELECT * FROM portal_sessions').all(),
      ...db.prepare('SELECT * FROM portal_login_transactions').all(),
    ]
    const bytes = ['', '-wal']
      .map((suffix) => `${file}${suffix}`)
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n')
    return { rows: JSON.stringify(rows), bytes }
  } finally {
    db.close()
  }
}

function assertNoneOf(secrets: readonly string[], file: string, when: string): void {
  const { rows, bytes } = rawState(file)
  assert.ok(rows.length > 2, `${when}: the tables hold records`)
  for (const secret of secrets) {
    assert.ok(!rows.includes(secret), `${when}: a row holds ${secret.slice(0, 12)}…`)
    assert.ok(!bytes.includes(secret), `${when}: the file holds ${secret.slice(0, 12)}…`)
  }
}

describe('portal sessions at rest, over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forcegate-sessions-'))
  const state = join(dir, 'state')
  const file = join(state, 'sessions.db')
  const key = newKey()
  const appSecret = `app-secret-${randomBytes(12).toString('hex')}`
  /** What the provider's token endpoint handed out. */
  const issued: string[] = []
  let op: FakeOp
  let portal: Listener
  let gateway: Listener & { readonly seen: Seen[] }
  let sessions: SqliteSessionStore

  before(async () => {
    op = await startFakeOp()
    gateway = await recordingListener()
    sessions = new SqliteSessionStore({ path: file, secretBox: sessionSecretBox(key) })
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      if (String(input instanceof Request ? input.url : input).endsWith('/services/oauth2/token')) {
        const body = (await res.clone().json()) as Record<string, unknown>
        for (const name of ['access_token', 'id_token'])
          if (typeof body[name] === 'string') issued.push(body[name] as string)
      }
      return res
    }
    portal = await startPortalServer(op, {
      // The fake provider signs ID tokens for its one client: the app under test is that client.
      partners: fixedPartners([partnerApp(CLIENT.clientId, 'pat@example.com', ['openid', 'api'])]),
      sessions,
      gatewayUrl: gateway.url,
      fetch: recording,
    })
  })
  after(async () => {
    for (const l of [portal, gateway]) await l?.close()
    await sessions?.close()
    await op?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps its folder 0700 and its files 0600, and no token or secret in clear', async () => {
    const { answer, jar } = await signIn(op, portal.url, '/portal/try')
    assert.equal(answer.status, 303)
    const page = await (
      await fetch(`${portal.url}/portal/try?app=${CLIENT.clientId}`, {
        headers: { cookie: cookieHeader(jar) },
      })
    ).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1]
    assert.ok(csrf)

    // Mid-flow the app's client secret waits in the login transaction.
    const authorize = await fetch(`${portal.url}/portal/try/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, app: CLIENT.clientId, clientSecret: appSecret }),
    })
    assert.equal(authorize.status, 303)
    cookiesOf(authorize, jar)
    assertNoneOf([appSecret, csrf, ...issued], file, 'during the try-it code flow')

    const callback = answerAuthorization(
      op,
      authorize.headers.get('location')!,
      portal.url,
      '/portal/try/callback',
    )
    const done = await fetch(callback, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } })
    assert.equal(done.status, 303)
    assert.equal(op.tokenRequests.at(-1)?.get('client_secret'), appSecret)
    assert.equal(issued.length, 4, 'an access and an ID token at sign-in and in try it')
    assertNoneOf([appSecret, csrf, ...issued], file, 'with a try-it token held')

    // Sealed is not lost: the token held for the session still reaches the gateway.
    const call = await fetch(`${portal.url}/portal/try/call`, {
      method: 'POST',
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, app: CLIENT.clientId, path: '/orders' }),
    })
    assert.equal(call.status, 200)
    assert.deepEqual(gateway.seen.at(-1), { url: '/orders', authorization: `Bearer ${issued[2]}` })

    assert.equal(mode(state), 0o700)
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(`${file}${suffix}`))
        assert.equal(mode(`${file}${suffix}`), 0o600, `sessions.db${suffix}`)
  })
})

describe('sealed session records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forcegate-sealed-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const session = (key: string): BrowserSession => ({
    key,
    userId: '0055g00000AbCdEAAV',
    orgId: '00D5g000004FgAtEAK',
    username: 'pat@example.com',
    displayName: 'Pat',
    issuer: 'https://org.example.com',
    idToken: 'eyJ.id-token-in-clear.sig',
    csrfToken: 'csrf',
    createdAt: 1,
    expiresAt: Date.now() + 3_600_000,
    lastSeenAt: 1,
    data: { tryToken: '00Dxx!AQ.try-token-in-clear' },
  })

  it('open with the key that sealed them (and after the partner key rotated), with no other', async () => {
    const file = join(dir, 'keys.db')
    const [first, second] = [newKey(), newKey()]
    const a = new SqliteSessionStore({ path: file, secretBox: sessionSecretBox(first) })
    await a.putSession(session('k1'))
    await a.close()
    const rotated = new SqliteSessionStore({ path: file, secretBox: sessionSecretBox(second, [first]) })
    assert.equal((await rotated.getSession('k1', Date.now()))?.data.tryToken, '00Dxx!AQ.try-token-in-clear')
    await rotated.close()
    const other = new SqliteSessionStore({ path: file, secretBox: sessionSecretBox(second) })
    assert.equal(await other.getSession('k1', Date.now()), undefined)
    await other.close()
  })

  it('do not open on another row', async () => {
    const file = join(dir, 'rows.db')
    const box = sessionSecretBox(newKey())
    const store = new SqliteSessionStore({ path: file, secretBox: box })
    await store.putSession(session('k1'))
    const db = new DatabaseSync(file)
    db.prepare("UPDATE portal_sessions SET key = 'k2' WHERE key = 'k1'").run()
    db.close()
    assert.equal(await store.getSession('k2', Date.now()), undefined)
    await store.close()
  })

  it('replace records an earlier version kept in clear, leaving no trace in the file', async () => {
    const file = join(dir, 'legacy.db')
    const db = new DatabaseSync(file)
    db.exec('PRAGMA journal_mode = WAL;')
    db.exec(`CREATE TABLE portal_sessions (key TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT;
      CREATE TABLE portal_login_transactions (state TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT;`)
    const old = session('old')
    db.prepare('INSERT INTO portal_sessions VALUES (?, ?, ?)').run('old', JSON.stringify(old), old.expiresAt)
    db.prepare('INSERT INTO portal_login_transactions VALUES (?, ?, ?)').run(
      's',
      JSON.stringify({ state: 's', data: { clientSecret: 'legacy-client-secret' } }),
      old.expiresAt,
    )
    db.close()
    const store = new SqliteSessionStore({ path: file, secretBox: sessionSecretBox(newKey()) })
    assert.equal(await store.getSession('old', Date.now()), undefined)
    await store.close()
    const bytes = readFileSync(file).toString('latin1')
    for (const secret of ['id-token-in-clear', 'try-token-in-clear', 'legacy-client-secret'])
      assert.ok(!bytes.includes(secret), secret)
    assert.equal(mode(file), 0o600)
  })
})
