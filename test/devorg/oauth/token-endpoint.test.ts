import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { tokenSignature } from '../../../devorg/oauth/token-response.ts'
import { loadSeed } from '../../../devorg/seed/load-seed.ts'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })

async function token(org: DevOrg, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('token endpoint: Salesforce response shapes per grant', () => {
  let org: DevOrg
  const seed = loadSeed(undefined)
  const gateway = seed.connectedApps.find((a) => a.introspectAll)!
  const portal = seed.connectedApps.find((a) => a.name === 'Order Portal')!
  const jwtApp = seed.connectedApps.find((a) => a.jwtAccessTokens)!
  jwtApp.certificate = publicKey.export({ type: 'spki', format: 'pem' }).toString()

  before(async () => {
    org = await startDevOrg({ port: 0, seed })
  })
  after(() => org.close())

  it('client credentials: exactly Salesforce fields, no expires_in, no refresh token', async () => {
    const { status, body } = await token(org, {
      grant_type: 'client_credentials',
      client_id: gateway.clientId,
      client_secret: gateway.clientSecret,
    })
    assert.equal(status, 200)
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'id',
      'instance_url',
      'issued_at',
      'scope',
      'signature',
      'token_type',
    ])
    assert.equal(body.token_type, 'Bearer')
    assert.equal(body.scope, 'api id')
    assert.equal(typeof body.issued_at, 'string')
    assert.ok(Math.abs(Number(body.issued_at) - Date.now()) < 60_000, 'issued_at is epoch milliseconds')
  })

  it('signature is base64 HMAC-SHA256 of id + issued_at keyed by the client secret', async () => {
    const { body } = await token(org, {
      grant_type: 'client_credentials',
      client_id: gateway.clientId,
      client_secret: gateway.clientSecret,
    })
    const expected = createHmac('sha256', gateway.clientSecret)
      .update(String(body.id) + String(body.issued_at))
      .digest('base64')
    assert.equal(body.signature, expected)
    assert.equal(
      tokenSignature('k', 'https://x/id/a/b', '1'),
      createHmac('sha256', 'k').update('https://x/id/a/b1').digest('base64'),
    )
  })

  it('accepts client authentication by HTTP Basic too', async () => {
    const basic = Buffer.from(`${gateway.clientId}:${gateway.clientSecret}`).toString('base64')
    const { status } = await token(
      org,
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` },
    )
    assert.equal(status, 200)
  })

  it('username-password only where the app enables it', async () => {
    const ok = await token(org, {
      grant_type: 'password',
      client_id: portal.clientId,
      client_secret: portal.clientSecret,
      username: 'admin@partner.example.com',
      password: 'Partner-Admin-1',
    })
    assert.equal(ok.status, 200)
    assert.equal(ok.body.refresh_token, undefined)
    const wrong = await token(org, {
      grant_type: 'password',
      client_id: portal.clientId,
      client_secret: portal.clientSecret,
      username: 'admin@partner.example.com',
      password: 'nope',
    })
    assert.deepEqual(wrong, {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    })
    const disabled = await token(org, {
      grant_type: 'password',
      client_id: gateway.clientId,
      client_secret: gateway.clientSecret,
      username: 'admin@partner.example.com',
      password: 'Partner-Admin-1',
    })
    assert.deepEqual(disabled, {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    })
  })

  it('answers errors with 400 and Salesforce codes', async () => {
    assert.deepEqual(
      await token(org, {
        grant_type: 'client_credentials',
        client_id: gateway.clientId,
        client_secret: 'wrong-secret',
      }),
      { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } },
    )
    assert.deepEqual(
      await token(org, { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }),
      {
        status: 400,
        body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
      },
    )
    assert.deepEqual(
      await token(org, {
        grant_type: 'client_credentials',
        client_id: portal.clientId,
        client_secret: portal.clientSecret,
      }),
      {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'no client credentials user enabled' },
      },
    )
    assert.deepEqual(
      await token(org, {
        grant_type: 'made_up',
        client_id: portal.clientId,
        client_secret: portal.clientSecret,
      }),
      {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
      },
    )
    assert.deepEqual(
      await token(org, {
        grant_type: 'refresh_token',
        refresh_token: '5Aep861unknown',
        client_id: portal.clientId,
        client_secret: portal.clientSecret,
      }),
      { status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } },
    )
  })

  it('JWT-based access tokens where the app enables them (CORE_ATJWT kid, scp, uid: subject, no jti)', async () => {
    const { body } = await token(org, {
      grant_type: 'client_credentials',
      client_id: jwtApp.clientId,
      client_secret: jwtApp.clientSecret,
    })
    const at = String(body.access_token)
    const header = decodeProtectedHeader(at)
    assert.match(String(header.kid), new RegExp(`^CORE_ATJWT\\.${org.orgId.slice(0, 15)}\\.\\d{13}$`))
    assert.equal(header.tty, 'sfdc-core-token')
    assert.equal(header.tnk, `core/dev/${org.orgId}`)
    assert.equal(header.alg, 'RS256')
    const { payload } = await jwtVerify(at, createRemoteJWKSet(new URL(`${org.url}/id/keys`)), {
      issuer: org.issuer,
      audience: org.issuer,
    })
    assert.deepEqual(payload.aud, [org.issuer])
    assert.match(String(payload.sub), /^uid:005/)
    assert.equal(payload.scp, body.scope)
    assert.equal(payload.scope, undefined)
    assert.equal(payload.client_id, jwtApp.clientId)
    assert.equal(payload.jti, undefined)
    assert.equal(payload.nbf, payload.iat! - 15)
    assert.ok(payload.exp! > payload.iat!)
  })

  it('JWT bearer: no refresh_token, issued_at or signature; bad audience and unknown issuer refused', async () => {
    const assertion = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)
    const exp = Math.floor(Date.now() / 1000) + 180
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
    const ok = await token(org, {
      grant_type: grant,
      assertion: await assertion({
        iss: jwtApp.clientId,
        sub: 'admin@partner.example.com',
        aud: 'https://login.salesforce.com',
        exp,
      }),
    })
    assert.equal(ok.status, 200)
    assert.deepEqual(Object.keys(ok.body).sort(), [
      'access_token',
      'id',
      'instance_url',
      'scope',
      'token_type',
    ])
    // Some clients put milliseconds in exp; Salesforce tolerates it and so does the dev org.
    const msExp = await token(org, {
      grant_type: grant,
      assertion: await assertion({
        iss: jwtApp.clientId,
        sub: 'admin@partner.example.com',
        aud: org.url,
        exp: Date.now() + 300,
      }),
    })
    assert.equal(msExp.status, 200)
    const badAud = await token(org, {
      grant_type: grant,
      assertion: await assertion({
        iss: jwtApp.clientId,
        sub: 'admin@partner.example.com',
        aud: 'https://evil.example',
        exp,
      }),
    })
    assert.deepEqual(badAud.body, { error: 'invalid_grant', error_description: 'audience is invalid' })
    const unknown = await token(org, {
      grant_type: grant,
      assertion: await assertion({ iss: 'nobody', sub: 'admin@partner.example.com', aud: org.url, exp }),
    })
    assert.deepEqual(unknown.body, {
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    })
  })
})
