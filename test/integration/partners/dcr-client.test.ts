import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { DcrClient } from '../../../src/partners/dcr-client.ts'
import { DcrError, type DcrErrorCode } from '../../../src/partners/dcr-error.ts'

let org: DevOrg
let dcr: DcrClient

before(async () => {
  org = await startDevOrg({ port: 0 })
  dcr = new DcrClient({ orgUrl: org.url, initialAccessToken: () => org.seed.initialAccessToken })
})
after(async () => {
  org.faults.unavailable = false
  await org.close()
})

const request = {
  clientName: 'Acme Orders Portal',
  redirectUris: ['https://partner.example/cb'],
  scopes: ['api', 'refresh_token'],
  contacts: ['ops@partner.example'],
}

function failsWith(code: DcrErrorCode, secret?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof DcrError, String(e))
    assert.equal(e.code, code, e.message)
    if (secret !== undefined) assert.equal(e.message.includes(secret), false, 'no secret in the message')
    return true
  }
}

describe('DcrClient against the dev org', () => {
  it('registers a client (201) and reads back its configuration (RFC 7592 GET)', async () => {
    const registered = await dcr.register(request)
    assert.match(registered.clientId, /^3MVG9/)
    assert.ok(registered.clientSecret !== undefined && registered.clientSecret.length >= 32)
    assert.ok(registered.registrationAccessToken.length > 0)
    assert.equal(
      registered.registrationClientUri,
      `${org.url}/services/oauth2/register/${registered.clientId}`,
    )
    assert.equal(registered.clientSecretExpiresAt, 0)
    assert.ok(registered.clientIdIssuedAt > 1_600_000_000)
    assert.deepEqual(registered.redirectUris, request.redirectUris)
    assert.ok(registered.grantedScopes.includes('api'))

    const read = await dcr.read(registered.registrationClientUri, registered.registrationAccessToken)
    assert.equal(read.clientId, registered.clientId)
    assert.deepEqual(read.redirectUris, request.redirectUris)
  })

  it('deletes a client (204); the registration access token is refused afterwards (401)', async () => {
    const registered = await dcr.register(request)
    await dcr.delete(registered.registrationClientUri, registered.registrationAccessToken)
    await assert.rejects(
      dcr.read(registered.registrationClientUri, registered.registrationAccessToken),
      failsWith('DCR_UNAUTHORIZED', registered.registrationAccessToken),
    )
    await assert.rejects(
      dcr.delete(registered.registrationClientUri, registered.registrationAccessToken),
      failsWith('DCR_UNAUTHORIZED'),
    )
  })

  it('maps a refused initial access token to DCR_UNAUTHORIZED without echoing it', async () => {
    const wrong = new DcrClient({ orgUrl: org.url, initialAccessToken: () => 'not-the-initial-token-xyz' })
    await assert.rejects(wrong.register(request), (e: unknown) => {
      failsWith('DCR_UNAUTHORIZED', 'not-the-initial-token-xyz')(e)
      assert.equal((e as DcrError).status, 401)
      return true
    })
    const none = new DcrClient({ orgUrl: org.url, initialAccessToken: () => undefined })
    await assert.rejects(none.register(request), failsWith('DCR_UNAUTHORIZED'))
  })

  it("maps the org's 400 invalid_redirect_uri to DCR_INVALID_REDIRECT_URI with the org's description", async () => {
    // Local policy would refuse a fragment before sending; this client skips it by using a
    // custom fetch that rewrites the body, to observe the org's own answer.
    const raw = new DcrClient({
      orgUrl: org.url,
      initialAccessToken: () => org.seed.initialAccessToken,
      fetch: (url, init) => {
        const body = JSON.parse(String(init.body)) as Record<string, unknown>
        body.redirect_uris = ['https://partner.example/cb#fragment']
        return fetch(url, { ...init, body: JSON.stringify(body) })
      },
    })
    await assert.rejects(raw.register(request), (e: unknown) => {
      failsWith('DCR_INVALID_REDIRECT_URI')(e)
      assert.equal((e as DcrError).status, 400)
      assert.equal((e as DcrError).orgError, 'invalid_redirect_uri')
      assert.match((e as DcrError).message, /fragment/)
      return true
    })
  })

  it('refuses bad redirect URIs before calling the org', async () => {
    let calls = 0
    const counting = new DcrClient({
      orgUrl: org.url,
      initialAccessToken: () => org.seed.initialAccessToken,
      fetch: (url, init) => {
        calls++
        return fetch(url, init)
      },
    })
    for (const uri of [
      'http://partner.example/cb',
      'https://partner.example/cb#x',
      'https://*.partner.example/cb',
      'javascript:alert(1)',
      'https://user:pw@partner.example/cb',
      'cb',
    ]) {
      await assert.rejects(
        counting.register({ ...request, redirectUris: [uri] }),
        failsWith('DCR_INVALID_REDIRECT_URI'),
      )
    }
    await assert.rejects(
      counting.register({
        ...request,
        redirectUris: Array.from({ length: 1000 }, (_, i) => `https://p.example/${i}`),
      }),
      failsWith('DCR_INVALID_REDIRECT_URI'),
    )
    assert.equal(calls, 0)
  })

  it('registers a loopback http redirect URI as a native app', async () => {
    const registered = await dcr.register({ ...request, redirectUris: ['http://127.0.0.1:8765/callback'] })
    assert.deepEqual(registered.redirectUris, ['http://127.0.0.1:8765/callback'])
  })

  it('maps an unavailable org (503) to DCR_ORG_UNAVAILABLE', async () => {
    const registered = await dcr.register(request)
    org.faults.unavailable = true
    try {
      await assert.rejects(dcr.register(request), failsWith('DCR_ORG_UNAVAILABLE'))
      await assert.rejects(
        dcr.delete(registered.registrationClientUri, registered.registrationAccessToken),
        failsWith('DCR_ORG_UNAVAILABLE'),
      )
    } finally {
      org.faults.unavailable = false
    }
  })

  it('maps a connection failure and a timeout to DCR_ORG_UNAVAILABLE', async () => {
    const down = new DcrClient({ orgUrl: 'http://127.0.0.1:1', initialAccessToken: () => 'x' })
    await assert.rejects(down.register(request), failsWith('DCR_ORG_UNAVAILABLE'))
    org.faults.slowMs = 500
    try {
      const impatient = new DcrClient({
        orgUrl: org.url,
        initialAccessToken: () => org.seed.initialAccessToken,
        timeoutMs: 100,
      })
      await assert.rejects(impatient.register(request), (e: unknown) => {
        failsWith('DCR_ORG_UNAVAILABLE')(e)
        assert.match((e as Error).message, /timed out/)
        return true
      })
    } finally {
      org.faults.slowMs = 0
    }
  })
})
