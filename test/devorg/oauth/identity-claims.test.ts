import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as client from 'openid-client'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { validateSeed } from '../../../devorg/seed/seed-validation.ts'
import { authorizeInteractively, Browser } from './browser.ts'

const BLOG = 'Employee Blog'
const MODERATOR = { username: 'moderator@forcegate.example.com', password: 'Blog-Moderator-1' }
const PARTNER = { username: 'reseller@partner.example.com', password: 'Partner-User-1' }
const NEWHIRE = { username: 'newhire@forcegate.example.com', password: 'New-Employee-1' }

describe('who a user is: user type, custom attributes and permissions, permission-set assignments', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(() => org.close())

  const app = (name: string) => org.seed.connectedApps.find((a) => a.name === name)!

  async function passwordToken(appName: string, user: { username: string; password: string }) {
    const { clientId, clientSecret } = app(appName)
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: clientId,
        client_secret: clientSecret,
        ...user,
      }),
    })
    assert.equal(res.status, 200, await res.clone().text())
    return (await res.json()) as { access_token: string; id: string; scope: string }
  }

  const getJson = async (url: string, token: string) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.status, 200, await res.clone().text())
    return (await res.json()) as Record<string, unknown>
  }

  it('userinfo and the identity URL report user_type, custom_attributes and custom_permissions as the app enables them', async () => {
    const t = await passwordToken(BLOG, MODERATOR)
    assert.match(t.scope, /\bcustom_permissions\b/)
    for (const doc of [
      await getJson(`${org.url}/services/oauth2/userinfo`, t.access_token),
      await getJson(t.id, t.access_token),
    ]) {
      assert.equal(doc.user_type, 'STANDARD')
      assert.deepEqual(doc.custom_attributes, {
        Department: 'Communications',
        Role: 'Communications',
        Site: 'Acme Engineering Blog',
      })
      // Through a permission set, and through a permission-set group.
      assert.deepEqual(doc.custom_permissions, {
        Publish_Blog_Posts: true,
        Moderate_Blog_Posts: true,
        Feature_Blog_Posts: true,
      })
    }
  })

  it('a partner user is POWER_PARTNER; permissions the user lacks are false; absent fields are left out', async () => {
    const t = await passwordToken(BLOG, PARTNER)
    const info = await getJson(`${org.url}/services/oauth2/userinfo`, t.access_token)
    assert.equal(info.user_type, 'POWER_PARTNER')
    assert.deepEqual(info.custom_permissions, {
      Publish_Blog_Posts: false,
      Moderate_Blog_Posts: false,
      Feature_Blog_Posts: false,
    })
    // The partner has no role: the attribute is left out rather than reported empty.
    assert.deepEqual(info.custom_attributes, { Department: 'Channel Sales', Site: 'Acme Engineering Blog' })
  })

  it('an app without custom attributes or permissions reports neither', async () => {
    const t = await passwordToken('Order Portal', {
      username: 'admin@partner.example.com',
      password: 'Partner-Admin-1',
    })
    const info = await getJson(`${org.url}/services/oauth2/userinfo`, t.access_token)
    assert.equal(info.user_type, 'STANDARD')
    assert.equal('custom_attributes' in info, false)
    assert.equal('custom_permissions' in info, false)
  })

  it('the ID token carries them as the app ID token configuration says; without the scope, userinfo has no permissions', async () => {
    const blog = app(BLOG)
    const config = await client.discovery(new URL(org.issuer), blog.clientId, blog.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    })
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: blog.redirectUris[0]!,
      scope: 'openid api',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    const callback = await authorizeInteractively(new Browser(), url.href, MODERATOR)
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    })
    const claims = tokens.claims()!
    assert.equal(
      claims.custom_attributes && (claims.custom_attributes as Record<string, string>).Department,
      'Communications',
    )
    assert.equal((claims.custom_permissions as Record<string, boolean>).Moderate_Blog_Posts, true)
    const info = await getJson(`${org.url}/services/oauth2/userinfo`, tokens.access_token)
    assert.equal('custom_permissions' in info, false)
    assert.equal((info.custom_attributes as Record<string, string>).Department, 'Communications')
  })

  it('PermissionSetAssignment and Profile answer SOQL as the user: profile, permission sets and groups', async () => {
    const query = async (user: { username: string; password: string }, soql: string) => {
      const t = await passwordToken(BLOG, user)
      const userId = t.id.split('/').at(-1)!
      const q = soql.replaceAll(':me', `'${userId}'`)
      return (await getJson(
        `${org.url}/services/data/v66.0/query?q=${encodeURIComponent(q)}`,
        t.access_token,
      )) as {
        records: Record<string, unknown>[]
      }
    }
    const soql =
      'SELECT PermissionSet.Name, PermissionSet.IsOwnedByProfile, PermissionSet.Profile.Name, PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE AssigneeId = :me'
    const mod = await query(MODERATOR, soql)
    const names = mod.records.map((r) => (r.PermissionSet as Record<string, unknown>).Name).sort()
    assert.deepEqual(names, ['Blog_Author', 'Blog_Moderator', 'X00eStandardUser', 'X0PGEditorial_Team'])
    const owned = mod.records.find(
      (r) => (r.PermissionSet as Record<string, unknown>).IsOwnedByProfile === true,
    )!
    assert.equal(
      ((owned.PermissionSet as Record<string, unknown>).Profile as Record<string, unknown>).Name,
      'Standard User',
    )
    assert.deepEqual(
      mod.records.flatMap((r) =>
        r.PermissionSetGroup === null
          ? []
          : [(r.PermissionSetGroup as Record<string, unknown>).DeveloperName],
      ),
      ['Editorial_Team'],
    )
    const partner = await query(PARTNER, soql)
    assert.equal(partner.records.length, 1)
    const profiles = await query(NEWHIRE, "SELECT Name FROM Profile WHERE Name = 'Partner Community User'")
    assert.equal(profiles.records.length, 1)
    const res = await fetch(`${org.url}/services/data/v66.0/sobjects/PermissionSetAssignment`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await passwordToken(BLOG, NEWHIRE)).access_token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ AssigneeId: '005000000000000AAA' }),
    })
    assert.equal(res.status >= 400, true, 'assignments are not writable through the API')
  })

  it('the seed refuses a user naming a permission set, group or profile the org lacks', () => {
    const base = {
      org: { id: '00D5g000004FgAt', name: 'x', myDomain: 'x' },
      connectedApps: [],
      objects: [],
      records: {},
    }
    const user = {
      username: 'a@b.example',
      password: 'p',
      email: 'a@b.example',
      firstName: 'A',
      lastName: 'B',
    }
    assert.throws(
      () => validateSeed({ ...base, users: [{ ...user, permissionSets: ['Nope'] }] }, 'seed.json'),
      /\/users\/0\/permissionSets\/0: expected the name of a seeded permission set/,
    )
    assert.throws(
      () => validateSeed({ ...base, users: [{ ...user, profile: 'Nope' }] }, 'seed.json'),
      /\/users\/0\/profile: expected the name of a seeded profile/,
    )
    assert.throws(
      () => validateSeed({ ...base, users: [{ ...user, userType: 'partner' }] }, 'seed.json'),
      /\/users\/0\/userType/,
    )
  })

  it("a data folder started with a changed seed gets that seed's assignments", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'devorg-identity-'))
    const seed = JSON.parse(
      await readFile(
        join(import.meta.dirname, '..', '..', '..', 'devorg', 'seed', 'default-seed.json'),
        'utf8',
      ),
    )
    const sets = async (o: DevOrg) => {
      const app = o.seed.connectedApps.find((a) => a.name === BLOG)!
      const t = (await (
        await fetch(`${o.url}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'password',
            client_id: app.clientId,
            client_secret: app.clientSecret,
            ...NEWHIRE,
          }),
        })
      ).json()) as { access_token: string; id: string }
      const q = `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${t.id.split('/').at(-1)}' AND PermissionSet.IsOwnedByProfile = false`
      const res = await fetch(`${o.url}/services/data/v66.0/query?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${t.access_token}` },
      })
      const body = (await res.json()) as { records: { PermissionSet: { Name: string } }[] }
      return body.records.map((r) => r.PermissionSet.Name)
    }
    try {
      const first = await startDevOrg({ port: 0, dataDir, seed })
      assert.deepEqual(await sets(first), [])
      await first.close()
      seed.users.find((u: { username: string }) => u.username === NEWHIRE.username).permissionSets = [
        'Blog_Moderator',
      ]
      const second = await startDevOrg({ port: 0, dataDir, seed, reseed: true })
      assert.deepEqual(await sets(second), ['Blog_Moderator'])
      await second.close()
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
