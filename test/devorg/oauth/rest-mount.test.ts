import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Directory } from '../../../devorg/directory.ts'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { createAuthenticator } from '../../../devorg/oauth/access-token-lookup.ts'
import { loadSigningKeys } from '../../../devorg/oauth/signing-keys.ts'
import { loadSeed } from '../../../devorg/seed/load-seed.ts'
import { openDatabase } from '../../../devorg/store/database.ts'
import { sqliteAdapterFactory } from '../../../devorg/store/oidc-adapter.ts'
import { clientCredentialsToken, passwordToken, postForm } from './org-client.ts'

describe('tokens from the authorization server on the REST slice', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org.close())

  const query = (token: string) =>
    fetch(`${org.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Name FROM Account')}`, {
      headers: { authorization: `Bearer ${token}` },
    })

  it('routes /services/data to the REST slice and accepts opaque and JWT access tokens', async () => {
    assert.equal((await fetch(`${org.url}/services/data`)).status, 200)
    const opaque = await passwordToken(org, 'Order Portal', 'admin@partner.example.com', 'Partner-Admin-1')
    const jwt = await clientCredentialsToken(org, 'Order Status JWT')
    for (const token of [opaque.access_token, jwt.access_token]) {
      const res = await query(token)
      assert.equal(res.status, 200)
      assert.equal(((await res.json()) as { totalSize: number }).totalSize, 3)
    }
  })

  it('a revoked token is an invalid session on REST', async () => {
    const t = await passwordToken(org, 'Order Portal', 'admin@partner.example.com', 'Partner-Admin-1')
    await postForm(org, '/services/oauth2/revoke', { token: t.access_token })
    const res = await query(t.access_token)
    assert.equal(res.status, 401)
    assert.equal(((await res.json()) as { errorCode: string }[])[0]!.errorCode, 'INVALID_SESSION_ID')
  })

  it('REST answers REQUEST_LIMIT_EXCEEDED when that switch is on', async () => {
    const t = await clientCredentialsToken(org, 'forcegate Gateway')
    org.faults.requestLimitExceeded = true
    try {
      const res = await query(t.access_token)
      assert.equal(res.status, 403)
      assert.equal(((await res.json()) as { errorCode: string }[])[0]!.errorCode, 'REQUEST_LIMIT_EXCEEDED')
    } finally {
      org.faults.requestLimitExceeded = false
    }
  })
})

describe('authenticate(): bearer token to identity', () => {
  const seed = loadSeed(undefined)
  seed.users.push({ ...seed.users[0]!, username: 'gone@partner.example.com', active: false })
  const directory = new Directory(seed)
  const db = openDatabase(undefined)
  let nowMs = 1_800_000_000_000
  const keys = loadSigningKeys(db, directory.orgId)
  const authenticate = createAuthenticator({
    db,
    directory,
    accessTokenKey: keys.accessToken,
    issuer: () => 'http://127.0.0.1:1',
    now: () => nowMs,
  })
  const Adapter = sqliteAdapterFactory(db, () => nowMs)
  const store = new Adapter('AccessToken')
  const admin = directory.userByName('admin@partner.example.com')!
  const gone = directory.userByName('gone@partner.example.com')!
  const org15 = directory.orgId.slice(0, 15)
  after(() => db.close())

  it('maps a live opaque token to user, org, client and scopes', async () => {
    const iat = nowMs / 1000
    await store.upsert(
      `${org15}!AQlive`,
      { accountId: admin.id, clientId: 'c1', scope: 'api id', iat, exp: iat + 60 },
      60,
    )
    assert.deepEqual(authenticate(`${org15}!AQlive`), {
      userId: admin.id,
      orgId: directory.orgId,
      username: admin.username,
      clientId: 'c1',
      scopes: ['api', 'id'],
    })
  })

  it('null for expired, unknown, other-org, inactive-user and garbage tokens', async () => {
    const iat = nowMs / 1000
    await store.upsert(
      `${org15}!AQold`,
      { accountId: admin.id, clientId: 'c1', scope: 'api', iat, exp: iat + 60 },
      60,
    )
    await store.upsert(
      `${org15}!AQgone`,
      { accountId: gone.id, clientId: 'c1', scope: 'api', iat, exp: iat + 600 },
      600,
    )
    nowMs += 61_000
    assert.equal(authenticate(`${org15}!AQold`), null)
    assert.equal(authenticate(`${org15}!AQgone`), null)
    assert.equal(authenticate(`${org15}!AQnever`), null)
    assert.equal(authenticate('00D000000000001!AQlive'), null)
    assert.equal(authenticate('eyJhbGciOiJub25lIn0.e30.'), null)
    assert.equal(authenticate(''), null)
  })
})
