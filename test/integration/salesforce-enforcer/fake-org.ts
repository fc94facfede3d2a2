import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'

/**
 * A small stand-in for a Salesforce org, enough for token enforcement: introspection,
 * UserInfo, discovery and `/id/keys` in Salesforce's shapes. It counts every call and can be
 * switched to fail, so tests can pin how many times the gateway asks and what it does when
 * the org cannot answer.
 */

export const ORG_ID = '00D5g000004FgAtEAK'
export const OTHER_ORG_ID = '00D5g000009ZzZzEAK'
export const USER_ID = '0055g00000AbCdEAAZ'
export const GATEWAY_CLIENT = { clientId: '3MVG9gatewayClient', clientSecret: 'gateway-secret' }
export const PARTNER_CLIENT_ID = '3MVG9partnerApp'

export type FakeOrgMode = 'ok' | 'down' | 'slow' | 'garbage' | 'reset' | 'string-active'

export interface OpaqueGrant {
  userId?: string
  orgId?: string
  username?: string
  clientId?: string
  scope?: string
  /** Seconds since the epoch; omitted from the answer when undefined. */
  exp?: number
  tokenType?: 'access_token' | 'refresh_token'
  /** False when the gateway's app may not introspect it (another app's token). */
  introspectable?: boolean
  /** The org prefix of the token; defaults to the org's. */
  prefixOrg?: string
}

export interface FakeOrg {
  readonly issuer: string
  counts: { introspect: number; userinfo: number; jwks: number; discovery: number }
  /** What the last introspection request carried, for checks on the client authentication. */
  lastIntrospection: URLSearchParams | undefined
  lastIntrospectionAuthorization: string | undefined
  mode: FakeOrgMode
  slowMs: number
  issueOpaque(grant?: OpaqueGrant): string
  revoke(token: string): void
  jwtAccessToken(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>
  idToken(claims?: Record<string, unknown>): Promise<string>
  resetCounts(): void
  close(): Promise<void>
}

export async function startFakeOrg(clock: () => number): Promise<FakeOrg> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const kid = `CORE_ATJWT.${ORG_ID.slice(0, 15)}.1767225600000`
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const grants = new Map<string, OpaqueGrant>()
  let issuer = ''

  const org: FakeOrg = {
    get issuer() {
      return issuer
    },
    counts: { introspect: 0, userinfo: 0, jwks: 0, discovery: 0 },
    lastIntrospection: undefined,
    lastIntrospectionAuthorization: undefined,
    mode: 'ok',
    slowMs: 2_000,
    issueOpaque(grant = {}) {
      const prefix = (grant.prefixOrg ?? grant.orgId ?? ORG_ID).slice(0, 15)
      const token = `${prefix}!AQ${randomBytes(48).toString('base64url').replaceAll('-', '.')}`
      grants.set(token, grant)
      return token
    },
    revoke(token) {
      grants.delete(token)
    },
    async jwtAccessToken(claims = {}, header = {}) {
      const iat = Math.floor(clock() / 1000)
      return new SignJWT({
        scp: 'api refresh_token orders.read',
        aud: [issuer],
        sub: `uid:${USER_ID}`,
        nbf: iat - 15,
        mty: 'oauth',
        sfi: randomBytes(8).toString('hex'),
        roles: [],
        iss: issuer,
        hsc: false,
        exp: iat + 900,
        iat,
        client_id: PARTNER_CLIENT_ID,
        ...claims,
      })
        .setProtectedHeader({
          tnk: `core/dev/${ORG_ID}`,
          ver: '1.0',
          kid,
          tty: 'sfdc-core-token',
          typ: 'JWT',
          alg: 'RS256',
          ...header,
        })
        .sign(privateKey)
    },
    async idToken(claims = {}) {
      const iat = Math.floor(clock() / 1000)
      return new SignJWT({
        iss: issuer,
        sub: `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`,
        aud: PARTNER_CLIENT_ID,
        iat,
        exp: iat + 3600,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(privateKey)
    },
    resetCounts() {
      org.counts = { introspect: 0, userinfo: 0, jwks: 0, discovery: 0 }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }

  function introspect(body: URLSearchParams, res: ServerResponse): void {
    if (
      body.get('client_id') !== GATEWAY_CLIENT.clientId ||
      body.get('client_secret') !== GATEWAY_CLIENT.clientSecret
    ) {
      json(res, 401, { error: 'invalid_client', error_description: 'invalid client credentials' })
      return
    }
    const token = body.get('token') ?? ''
    const grant = grants.get(token)
    const nowSeconds = Math.floor(clock() / 1000)
    if (
      grant === undefined ||
      grant.introspectable === false ||
      (grant.exp !== undefined && grant.exp <= nowSeconds)
    ) {
      json(res, 200, { active: false })
      return
    }
    const orgId = grant.orgId ?? ORG_ID
    json(res, 200, {
      active: org.mode === 'string-active' ? 'true' : true,
      scope: grant.scope ?? 'api',
      client_id: grant.clientId ?? PARTNER_CLIENT_ID,
      username: grant.username ?? 'ada@partner.example.com',
      sub: `https://login.salesforce.com/id/${orgId}/${grant.userId ?? USER_ID}`,
      token_type: grant.tokenType ?? 'access_token',
      ...(grant.exp === undefined ? {} : { exp: grant.exp }),
      iat: nowSeconds - 60,
      nbf: nowSeconds - 60,
    })
  }

  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
    const grant = grants.get(token)
    if (grant === undefined) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Bad_OAuth_Token')
      return
    }
    const orgId = grant.orgId ?? ORG_ID
    const userId = grant.userId ?? USER_ID
    json(res, 200, {
      sub: `https://login.salesforce.com/id/${orgId}/${userId}`,
      user_id: userId,
      organization_id: orgId,
      preferred_username: grant.username ?? 'ada@partner.example.com',
      active: true,
      user_type: 'STANDARD',
    })
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (path === '/services/oauth2/introspect') org.counts.introspect++
      else if (path === '/services/oauth2/userinfo') org.counts.userinfo++
      else if (path === '/id/keys') org.counts.jwks++
      else if (path === '/.well-known/openid-configuration') org.counts.discovery++
      if (org.mode === 'down') return json(res, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }])
      if (org.mode === 'reset') return req.socket.destroy()
      if (org.mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"active": tru')
        return
      }
      const answer = () => {
        if (path === '/services/oauth2/introspect' && req.method === 'POST') {
          org.lastIntrospection = new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
          org.lastIntrospectionAuthorization = req.headers.authorization
          return introspect(org.lastIntrospection, res)
        }
        if (path === '/services/oauth2/userinfo') return userinfo(req, res)
        if (path === '/id/keys') return json(res, 200, { keys: [jwk] })
        if (path === '/.well-known/openid-configuration') {
          return json(res, 200, {
            issuer,
            jwks_uri: `${issuer}/id/keys`,
            introspection_endpoint: `${issuer}/services/oauth2/introspect`,
            userinfo_endpoint: `${issuer}/services/oauth2/userinfo`,
          })
        }
        res.writeHead(404).end()
      }
      if (org.mode === 'slow') setTimeout(answer, org.slowMs)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return org
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** Milliseconds since the epoch, moved only by the test. */
export function fakeClock(startMs = Date.UTC(2026, 5, 1, 12, 0, 0)) {
  let now = startMs
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}
