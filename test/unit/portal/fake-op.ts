import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'

export const ORG_ID = '00D5g000004FgAtEAK'
export const USER_ID = '0055g00000AbCdEAAV'
export const CLIENT = { clientId: 'portal-client', clientSecret: 'portal-secret' }

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

/**
 * A small OpenID provider for the login block's tests: Salesforce-shaped discovery, JWKS, a
 * token endpoint that answers whatever ID token a test composes, and userinfo. It records
 * every token request so tests can check what the client sent (or that it sent nothing).
 */
export interface FakeOp {
  readonly issuer: string
  /** Nonce of the authorization request in progress (the test copies it from the URL). */
  nonce: string | undefined
  /** Changes the ID token claims of the next answers. */
  claims: (base: JWTPayload) => JWTPayload
  signing: 'good' | 'other-key' | 'none'
  tokenStatus: number
  userinfo: (base: Record<string, unknown>) => Record<string, unknown>
  issParameterSupported: boolean
  readonly tokenRequests: URLSearchParams[]
  close(): Promise<void>
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString()
}

export async function startFakeOp(): Promise<FakeOp> {
  const good = await generateKeyPair('RS256')
  const other = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(good.publicKey)), kid: '248', alg: 'RS256', use: 'sig' }
  let server: Server | undefined
  const op: FakeOp = {
    issuer: '',
    nonce: undefined,
    claims: (c) => c,
    signing: 'good',
    tokenStatus: 200,
    userinfo: (u) => u,
    issParameterSupported: false,
    tokenRequests: [],
    close: () => new Promise<void>((resolve) => server?.close(() => resolve())),
  }
  const sub = () => `${op.issuer}/id/${ORG_ID}/${USER_ID}`
  const sign = async (claims: JWTPayload, key: Key) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: '248' }).sign(key)
  const unsigned = (claims: JWTPayload) =>
    `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`

  server = createServer((req, res) => {
    void (async () => {
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
      }
      const path = new URL(req.url ?? '/', op.issuer).pathname
      if (path === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: op.issuer,
          authorization_endpoint: `${op.issuer}/services/oauth2/authorize`,
          token_endpoint: `${op.issuer}/services/oauth2/token`,
          userinfo_endpoint: `${op.issuer}/services/oauth2/userinfo`,
          jwks_uri: `${op.issuer}/id/keys`,
          end_session_endpoint: `${op.issuer}/services/auth/idp/oidc/logout`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          ...(op.issParameterSupported ? { authorization_response_iss_parameter_supported: true } : {}),
        })
      }
      if (path === '/id/keys') return json(200, { keys: [jwk] })
      if (path === '/services/oauth2/token') {
        op.tokenRequests.push(new URLSearchParams(await body(req)))
        if (op.tokenStatus !== 200) return json(op.tokenStatus, { error: 'server_error' })
        const now = Math.floor(Date.now() / 1000)
        const claims = op.claims({
          iss: op.issuer,
          sub: sub(),
          aud: CLIENT.clientId,
          iat: now,
          exp: now + 3600,
          ...(op.nonce === undefined ? {} : { nonce: op.nonce }),
          preferred_username: 'pat@example.com',
        })
        const idToken =
          op.signing === 'none'
            ? unsigned(claims)
            : await sign(claims, op.signing === 'good' ? good.privateKey : other.privateKey)
        return json(200, {
          access_token: '00Dxx!AQ.access',
          token_type: 'Bearer',
          scope: 'openid',
          id_token: idToken,
        })
      }
      if (path === '/services/oauth2/userinfo') {
        return json(
          200,
          op.userinfo({
            sub: sub(),
            user_id: USER_ID,
            organization_id: ORG_ID,
            preferred_username: 'pat@example.com',
            name: 'Pat Partner',
          }),
        )
      }
      res.writeHead(404).end()
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  Object.assign(op, { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
  return op
}
