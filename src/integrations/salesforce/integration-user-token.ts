/**
 * The org's integration user's access token: minted by client credentials or a JWT bearer
 * assertion, kept until `refreshAfterMs` (Salesforce answers carry no `expires_in`), minted
 * again once when the org calls it expired, and shared by concurrent callers (one mint in
 * flight). The token itself never appears in an error or a log line.
 */
import { importPKCS8, SignJWT } from 'jose'
import { cappedExchange } from '../../lib/capped-exchange.ts'

export interface IntegrationUserSettings {
  readonly tokenUrl: string
  readonly grant: 'client_credentials' | 'jwt_bearer'
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly username: string | undefined
  readonly privateKeyPem: string | undefined
  readonly audience: string
  readonly refreshAfterMs: number
  readonly timeoutMs: number
}

export interface OrgSession {
  readonly accessToken: string
  readonly instanceUrl: string
}

export class TokenMintError extends Error {
  override name = 'TokenMintError'
}

export interface TokenSource {
  /** A live session; `stale` is the one the org just refused, so a fresh one is minted. */
  session(stale?: OrgSession): Promise<OrgSession>
}

export function createIntegrationUserToken(
  settings: IntegrationUserSettings,
  deps: { readonly fetch?: typeof fetch; readonly clock?: () => number } = {},
): TokenSource {
  const fetchFn = deps.fetch ?? fetch
  const clock = deps.clock ?? Date.now
  let current: { session: OrgSession; mintedAt: number } | undefined
  let inFlight: Promise<OrgSession> | undefined

  async function mint(): Promise<OrgSession> {
    const form = new URLSearchParams({ client_id: settings.clientId })
    if (settings.grant === 'client_credentials') {
      form.set('grant_type', 'client_credentials')
      form.set('client_secret', settings.clientSecret ?? '')
    } else {
      form.set('grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      form.set('assertion', await assertion(settings, clock()))
    }
    const answer = await cappedExchange(
      fetchFn,
      new URL(settings.tokenUrl),
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      { timeoutMs: settings.timeoutMs, maxBytes: 65_536 },
      (message, cause) => new TokenMintError(message, { cause }),
    )
    let body: Record<string, unknown> = {}
    try {
      body = JSON.parse(answer.text) as Record<string, unknown>
    } catch {
      // Reported below without the body, which could echo what was sent.
    }
    if (answer.status !== 200 || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : `status ${answer.status}`
      throw new TokenMintError(`the org refused the integration user's ${settings.grant} grant (${code})`)
    }
    const instanceUrl =
      typeof body.instance_url === 'string' ? body.instance_url : new URL(settings.tokenUrl).origin
    return { accessToken: body.access_token, instanceUrl: instanceUrl.replace(/\/+$/, '') }
  }

  return {
    session(stale) {
      const fresh =
        current !== undefined &&
        current.session !== stale &&
        clock() - current.mintedAt < settings.refreshAfterMs
      if (fresh) return Promise.resolve(current!.session)
      if (inFlight === undefined) {
        inFlight = mint()
          .then((session) => {
            current = { session, mintedAt: clock() }
            return session
          })
          .finally(() => {
            inFlight = undefined
          })
      }
      return inFlight
    },
  }
}

async function assertion(settings: IntegrationUserSettings, now: number): Promise<string> {
  const key = await importPKCS8(settings.privateKeyPem ?? '', 'RS256')
  const seconds = Math.floor(now / 1000)
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(settings.clientId)
    .setSubject(settings.username ?? '')
    .setAudience(settings.audience)
    .setExpirationTime(seconds + 180)
    .sign(key)
}
