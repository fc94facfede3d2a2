import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { Agent, setGlobalDispatcher } from 'undici'
import { startDevOrg } from '../../../devorg/index.ts'
import { app, clientCredentialsToken, introspect, passwordToken, postForm } from './org-client.ts'

// The org restarts on the same port; pooled keep-alive sockets to the old process must not be reused.
setGlobalDispatcher(new Agent({ pipelining: 0 }))

describe('restart with a data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devorg-data-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('keeps users, apps, registered clients, tokens and signing keys', async () => {
    const first = await startDevOrg({ port: 0, dataDir })
    const opaque = await passwordToken(first, 'Order Portal', 'admin@partner.example.com', 'Partner-Admin-1')
    const jwt = await clientCredentialsToken(first, 'Order Status JWT')
    const registered = (await (
      await fetch(`${first.url}/services/oauth2/register`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${first.seed.initialAccessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9999/cb'], client_name: 'Kept' }),
      })
    ).json()) as { client_id: string; client_secret: string; registration_access_token: string }
    const keys = await (await fetch(`${first.url}/id/keys`)).text()
    const port = Number(new URL(first.url).port)
    await first.close()

    const second = await startDevOrg({ port, dataDir })
    try {
      assert.equal(await (await fetch(`${second.url}/id/keys`)).text(), keys)
      const seen = (await introspect(second, 'forcegate Gateway', opaque.access_token)).json()
      assert.equal(seen.active, true)
      assert.equal(seen.username, 'admin@partner.example.com')
      assert.equal((await introspect(second, 'forcegate Gateway', jwt.access_token)).json().active, true)
      const info = await fetch(`${second.url}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${opaque.access_token}` },
      })
      assert.equal(info.status, 200)
      const read = await fetch(`${second.url}/services/oauth2/register/${registered.client_id}`, {
        headers: { authorization: `Bearer ${registered.registration_access_token}` },
      })
      assert.equal(read.status, 200)
      const exchange = await postForm(second, '/services/oauth2/token', {
        grant_type: 'authorization_code',
        code: 'bogus',
        redirect_uri: 'http://127.0.0.1:9999/cb',
        client_id: registered.client_id,
        client_secret: registered.client_secret,
      })
      // The registered client still authenticates: the bogus code fails, not the client.
      assert.deepEqual(exchange.json(), {
        error: 'invalid_grant',
        error_description: 'invalid authorization code',
      })
      assert.ok(app(second, 'Order Portal'))
      await passwordToken(second, 'Order Portal', 'admin@partner.example.com', 'Partner-Admin-1')
    } finally {
      await second.close()
    }
  })

  it('without a data directory, state is gone after a restart', async () => {
    const first = await startDevOrg({ port: 0 })
    const t = await passwordToken(first, 'Order Portal', 'admin@partner.example.com', 'Partner-Admin-1')
    await first.close()
    const second = await startDevOrg({ port: 0 })
    try {
      assert.deepEqual((await introspect(second, 'forcegate Gateway', t.access_token)).json(), {
        active: false,
      })
    } finally {
      await second.close()
    }
  })
})
