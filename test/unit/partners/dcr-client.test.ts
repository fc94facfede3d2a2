import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DcrClient, type FetchLike } from '../../../src/partners/dcr-client.ts'
import { DcrError, type DcrErrorCode } from '../../../src/partners/dcr-error.ts'

const ORG = 'https://acme.my.salesforce.example'
const request = { clientName: 'App', redirectUris: ['https://p.example/cb'], scopes: ['api'] }

function answering(
  status: number,
  body: unknown,
  seen: { url?: string; init?: RequestInit }[] = [],
): FetchLike {
  return async (url, init) => {
    seen.push({ url, init })
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  }
}

const client = (fetch: FetchLike) =>
  new DcrClient({
    orgUrl: ORG,
    initialAccessToken: () => 'INITIAL-TOKEN-SECRET',
    fetch,
    clock: () => 1_800_000_000_000,
  })

function rejectsWith(code: DcrErrorCode) {
  return (e: unknown) => {
    assert.ok(e instanceof DcrError)
    assert.equal(e.code, code, e.message)
    assert.equal(e.message.includes('INITIAL-TOKEN-SECRET'), false)
    return true
  }
}

const ok = {
  client_id: '3MVG9abc',
  client_secret: 'shh',
  registration_access_token: 'rat',
  registration_client_uri: `${ORG}/services/oauth2/register/3MVG9abc`,
  scopes: ['api', 'refresh_token'],
  redirect_uris: ['https://p.example/cb'],
}

describe('DcrClient wire format and error mapping', () => {
  it('sends the RFC 7591 body with the initial access token', async () => {
    const seen: { url?: string; init?: RequestInit }[] = []
    const out = await client(answering(201, ok, seen)).register({
      ...request,
      scopes: ['api', 'refresh_token'],
      contacts: ['a@p.example'],
    })
    assert.equal(seen[0]?.url, `${ORG}/services/oauth2/register`)
    assert.equal(seen[0]?.init?.method, 'POST')
    assert.equal(
      (seen[0]!.init!.headers as Record<string, string>).authorization,
      'Bearer INITIAL-TOKEN-SECRET',
    )
    assert.deepEqual(JSON.parse(String(seen[0]?.init?.body)), {
      client_name: 'App',
      redirect_uris: ['https://p.example/cb'],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      application_type: 'web',
      scope: 'api refresh_token',
      contacts: ['a@p.example'],
    })
    assert.equal(out.clientIdIssuedAt, 1_800_000_000, 'defaults to the injected clock')
    assert.deepEqual(out.grantedScopes, ['api', 'refresh_token'])
  })

  it('reads an RFC 7591 scope string when there is no scopes array', async () => {
    const { scopes: _, ...rest } = ok
    const out = await client(answering(201, { ...rest, scope: 'openid api' })).register(request)
    assert.deepEqual(out.grantedScopes, ['openid', 'api'])
  })

  it('maps the org status codes to stable codes', async () => {
    const cases: [number, unknown, DcrErrorCode][] = [
      [
        400,
        { error: 'invalid_client_metadata', error_description: 'bad grant' },
        'DCR_INVALID_CLIENT_METADATA',
      ],
      [400, { error: 'invalid_redirect_uri' }, 'DCR_INVALID_REDIRECT_URI'],
      [400, 'not json', 'DCR_INVALID_CLIENT_METADATA'],
      [401, { error: 'invalid_token' }, 'DCR_UNAUTHORIZED'],
      [403, {}, 'DCR_FORBIDDEN'],
      [405, undefined, 'DCR_NOT_SUPPORTED'],
      [500, {}, 'DCR_ORG_UNAVAILABLE'],
      [302, undefined, 'DCR_BAD_RESPONSE'],
    ]
    for (const [status, body, code] of cases) {
      await assert.rejects(client(answering(status, body)).register(request), rejectsWith(code), `${status}`)
    }
    const e = await client(
      answering(400, { error: 'invalid_client_metadata', error_description: 'bad grant' }),
    )
      .register(request)
      .then(
        () => assert.fail('expected a rejection'),
        (x: unknown) => x as DcrError,
      )
    assert.equal(e.orgError, 'invalid_client_metadata')
    assert.match(e.message, /invalid_client_metadata \(bad grant\)/)
  })

  it('refuses a 201 without the management fields, or with a foreign http management URI', async () => {
    await assert.rejects(
      client(answering(201, { client_id: 'x' })).register(request),
      (e: unknown) =>
        rejectsWith('DCR_BAD_RESPONSE')(e) && /registration_access_token/.test((e as Error).message),
    )
    await assert.rejects(
      client(answering(201, { ...ok, registration_client_uri: 'http://evil.example/x' })).register(request),
      rejectsWith('DCR_BAD_RESPONSE'),
    )
  })

  it('never sends the registration access token to a foreign http URI', async () => {
    const seen: { url?: string }[] = []
    await assert.rejects(
      client(answering(204, undefined, seen)).delete('http://evil.example/register/x', 'rat'),
      rejectsWith('DCR_BAD_RESPONSE'),
    )
    assert.equal(seen.length, 0)
  })

  it('deletes with the registration access token (RFC 7592)', async () => {
    const seen: { url?: string; init?: RequestInit }[] = []
    await client(answering(204, undefined, seen)).delete(ok.registration_client_uri, 'rat')
    assert.equal(seen[0]?.init?.method, 'DELETE')
    assert.equal((seen[0]!.init!.headers as Record<string, string>).authorization, 'Bearer rat')
  })

  it('refuses an answer larger than 1 MiB without reading it', async () => {
    const huge: FetchLike = async () =>
      new Response('{}', { status: 201, headers: { 'content-length': String(2 * 1024 * 1024) } })
    await assert.rejects(client(huge).register(request), rejectsWith('DCR_BAD_RESPONSE'))
  })
})
