import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { lambdaOp } from '../helpers/temp-api.ts'
import { type TestClock, testClock } from '../helpers/test-clock.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const INVALID_TOKEN = 'Bearer scope="" error="invalid_token" error_description="the token is not valid"'
const SESSION_SECONDS = 7200

/** Answers with what API Gateway hands a payload 2.0 integration behind a JWT authorizer. */
const SEEN_HANDLER =
  'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ version: e.version, authorizer: e.requestContext.authorizer }) })\n'

const jwtScheme = (issuer: string, audience: string[]) => ({
  type: 'oauth2',
  flows: {},
  'x-amazon-apigateway-authorizer': {
    type: 'jwt',
    identitySource: '$request.header.Authorization',
    jwtConfiguration: { issuer, audience },
  },
})

async function jwtAccessToken(org: DevOrg): Promise<string> {
  const app = org.seed.connectedApps.find((a) => a.jwtAccessTokens)!
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      ...USER,
    }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { access_token: string }).access_token
}

/**
 * An HTTP API whose routes are guarded by JWT authorizers trusting the dev org: its JWT access
 * tokens, its discovery document and key set, over real HTTP. The org and the gateway each run
 * on a clock the tests move, so expiry is reached without waiting.
 */
describe('HTTP API JWT authorizer with the dev org as issuer', () => {
  let org: DevOrg
  let otherOrg: DevOrg
  let gw: TestGateway
  const orgClock: TestClock = testClock()
  const gatewayClock: TestClock = testClock()

  before(async () => {
    org = await startDevOrg({ port: 0, clock: orgClock.now })
    otherOrg = await startDevOrg({ port: 0 })
    const op = (scheme: string, scopes: string[]) => ({
      get: { ...lambdaOp('seen', { payloadFormatVersion: '2.0' }), security: [{ [scheme]: scopes }] },
    })
    gw = await startTestGateway(
      openapi(
        {
          '/orders': op('devorg', ['api']),
          '/anything': op('devorg', []),
          '/admin': op('devorg', ['full', 'admin']),
          '/partner': op('partnerApi', []),
        },
        {
          'x-amazon-apigateway-importexport-version': '1.0',
          components: {
            securitySchemes: {
              devorg: jwtScheme(org.issuer, [org.issuer]),
              partnerApi: jwtScheme(org.issuer, ['https://partner-api.example.com']),
            },
          },
        },
      ),
      { 'seen.mjs': SEEN_HANDLER },
      undefined,
      { clock: gatewayClock.now },
    )
  })
  after(async () => {
    await gw?.close()
    await otherOrg?.close()
    await org?.close()
  })

  const call = (path: string, authorization?: string) =>
    fetch(`${gw.url}${path}`, authorization === undefined ? {} : { headers: { authorization } })

  async function assertInvalidToken(res: Response): Promise<void> {
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('www-authenticate'), INVALID_TOKEN)
    assert.deepEqual(await res.json(), { message: 'Unauthorized' })
  }

  test('a valid token: 200, the claims as strings and the scopes in the v2 event', async () => {
    const token = await jwtAccessToken(org)
    const issued = decodeJwt(token)
    const res = await call('/orders', `Bearer ${token}`)
    assert.equal(res.status, 200, await res.clone().text())
    const seen = (await res.json()) as {
      version: string
      authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } }
    }
    assert.equal(seen.version, '2.0')
    const { claims, scopes } = seen.authorizer.jwt
    assert.equal(claims.iss, org.issuer)
    assert.equal(claims.sub, issued.sub)
    assert.match(claims.sub!, /^uid:005/)
    assert.equal(claims.client_id, issued.client_id)
    assert.equal(claims.aud, `[${org.issuer}]`)
    assert.equal(claims.exp, String(issued.exp))
    assert.equal(claims.iat, String(issued.iat))
    assert.ok(Object.values(claims).every((v) => typeof v === 'string'))
    assert.deepEqual(scopes, String(issued.scp).split(' '))
    assert.ok(scopes?.includes('api'))
  })

  test('the token may come without the Bearer prefix; a route without scopes takes any valid token', async () => {
    const token = await jwtAccessToken(org)
    assert.equal((await call('/orders', token)).status, 200)
    assert.equal((await call('/anything', `Bearer ${token}`)).status, 200)
  })

  test('no token: 401 with a bare Bearer challenge', async () => {
    const res = await call('/orders')
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('www-authenticate'), 'Bearer')
    assert.deepEqual(await res.json(), { message: 'Unauthorized' })
  })

  test('a token for another audience: 401 invalid_token', async () => {
    const token = await jwtAccessToken(org)
    await assertInvalidToken(await call('/partner', `Bearer ${token}`))
  })

  test("another org's token (another issuer, another key): 401 invalid_token", async () => {
    const foreign = await jwtAccessToken(otherOrg)
    assert.notEqual(decodeJwt(foreign).iss, org.issuer)
    await assertInvalidToken(await call('/orders', `Bearer ${foreign}`))
  })

  test('an altered signature or an opaque token: 401 invalid_token', async () => {
    const token = await jwtAccessToken(org)
    const [header, payload, signature] = token.split('.')
    const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`
    await assertInvalidToken(await call('/orders', `Bearer ${header}.${payload}.${flipped}`))
    await assertInvalidToken(await call('/orders', `Bearer ${org.orgId.slice(0, 15)}!AQ4AQnotajwt`))
  })

  test('a valid token without any of the route scopes: 403 insufficient_scope naming them', async () => {
    const token = await jwtAccessToken(org)
    const res = await call('/admin', `Bearer ${token}`)
    assert.equal(res.status, 403)
    assert.equal(
      res.headers.get('www-authenticate'),
      'Bearer scope="full admin" error="insufficient_scope" error_description="the token does not have the required scope"',
    )
    assert.deepEqual(await res.json(), { message: 'Forbidden' })
  })

  // Last: it moves both clocks two hours on.
  test('an expired token: 401 invalid_token, even once verified and cached; a new one works', async () => {
    const token = await jwtAccessToken(org)
    assert.equal((await call('/orders', `Bearer ${token}`)).status, 200)
    // Beyond exp and the gateway's 5 s of clock tolerance.
    const step = (SESSION_SECONDS + 10) * 1000
    orgClock.advance(step)
    gatewayClock.advance(step)
    await assertInvalidToken(await call('/orders', `Bearer ${token}`))
    const fresh = await jwtAccessToken(org)
    assert.equal((await call('/orders', `Bearer ${fresh}`)).status, 200)
  })
})
