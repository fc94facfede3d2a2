import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { type Gateway, startGateway } from '../../../src/gateway.ts'
import { createLogger } from '../../../src/observability/logger.ts'
import { authorizeInteractively, Browser } from '../../devorg/oauth/browser.ts'
import { freePort } from '../../helpers/free-port.ts'

export const ROOT = join(import.meta.dirname, '..', '..', '..')
/** Owns Acme Factory Automation and Acme Spare Parts; Globex Data Platform is shared with them read-only. */
export const PARTNER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
/** Owns Globex Data Platform and Initech Renewal; Acme Spare Parts is shared with them. */
export const SALES = { username: 'sales@forcegate.example.com', password: 'Sales-Rep-1' }
export const ACME_FACTORY = '0065g00000Acme1'

export interface OpportunitiesEnv {
  readonly org: DevOrg
  readonly gateway: Gateway
  readonly origin: string
  /** Signs in at the dev org through the portal; the returned browser holds the session cookie. */
  signIn(user: { username: string; password: string }): Promise<Browser>
  /** The scope the portal's sign-in asks the org for. */
  loginScope(): Promise<string | null>
  /** The org's REST API as its integration user (sees every record). */
  orgQuery(soql: string): Promise<Record<string, unknown>[]>
  orgBytes(contentVersionId: string): Promise<Buffer>
  /** Moves the org's clock (token times) forward: the tokens it issued until now expire. */
  advanceOrgClock(ms: number): void
  close(): Promise<void>
}

/**
 * The dev org and the order-status example on the gateway with its portal on, the
 * Opportunities page switched on in forcegate.yaml, signing in through a client registered at
 * the org for the gateway's port.
 */
export async function startOpportunitiesEnv(
  opportunities: Record<string, unknown> = { enabled: true },
): Promise<OpportunitiesEnv> {
  let skew = 0
  const org = await startDevOrg({ port: 0, clock: () => Date.now() + skew })
  try {
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    const registered = await fetch(`${org.url}/services/oauth2/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.seed.initialAccessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'forcegate developer portal',
        redirect_uris: [`${origin}/portal/callback`],
        post_logout_redirect_uris: [`${origin}/portal/signed-out`],
        scope: 'openid profile email api',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      }),
    })
    if (registered.status !== 201)
      throw new Error(`portal client: ${registered.status} ${await registered.text()}`)
    const client = (await registered.json()) as { client_id: string; client_secret: string }
    const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)!
    process.env.FORCEGATE_SF_CLIENT_SECRET = gatewayApp.clientSecret
    process.env.FORCEGATE_INITIAL_ACCESS_TOKEN = org.seed.initialAccessToken ?? ''
    process.env.FORCEGATE_ENCRYPTION_KEY = randomBytes(32).toString('base64')
    process.env.FORCEGATE_ADMIN_TOKEN = randomBytes(24).toString('base64url')
    process.env.FORCEGATE_TEST_PORTAL_SECRET = client.client_secret
    const gateway = await startGateway({
      apiFile: join(ROOT, 'examples', 'order-status', 'openapi.yaml'),
      configFile: join(ROOT, 'examples', 'order-status', 'forcegate.yaml'),
      port,
      logger: createLogger('silent'),
      configPatch(config) {
        const devorg = config.salesforce.orgs.devorg
        if (devorg !== undefined) Object.assign(devorg, { issuer: org.issuer, orgId: org.orgId })
        if (config.partners !== undefined) {
          config.partners.org.url = org.url
          config.partners.store.path = ':memory:'
        }
        delete (config as { relay?: unknown }).relay
        delete (config as { subscriptions?: unknown }).subscriptions
        const portal = config.portal!
        Object.assign(portal, {
          publicOrigin: origin,
          client: { clientId: client.client_id, clientSecret: { env: 'FORCEGATE_TEST_PORTAL_SECRET' } },
          sessions: { ...portal.sessions, path: ':memory:' },
          opportunities: { ...portal.opportunities, ...opportunities },
        })
      },
    })
    const integrationToken = async (): Promise<string> => {
      const answer = await fetch(`${org.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: gatewayApp.clientId,
          client_secret: gatewayApp.clientSecret,
        }),
      })
      return ((await answer.json()) as { access_token: string }).access_token
    }
    const auth = async () => ({ authorization: `Bearer ${await integrationToken()}` })
    return {
      org,
      gateway,
      origin,
      async signIn(user) {
        const browser = new Browser()
        const start = await browser.get(`${origin}/portal/login?return_to=/portal/opportunities`)
        const callback = await authorizeInteractively(browser, new URL(start.location!, start.url).href, user)
        const back = await browser.get(callback.href)
        if (back.status !== 303)
          throw new Error(`sign-in callback answered ${back.status}: ${back.body.slice(0, 200)}`)
        return browser
      },
      async loginScope() {
        const start = await new Browser().get(`${origin}/portal/login`)
        return new URL(start.location!, start.url).searchParams.get('scope')
      },
      async orgQuery(soql) {
        const answer = await fetch(`${org.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
          headers: await auth(),
        })
        if (answer.status !== 200) throw new Error(`query: ${answer.status} ${await answer.text()}`)
        return ((await answer.json()) as { records: Record<string, unknown>[] }).records
      },
      async orgBytes(contentVersionId) {
        const answer = await fetch(
          `${org.url}/services/data/v62.0/sobjects/ContentVersion/${contentVersionId}/VersionData`,
          { headers: await auth() },
        )
        if (answer.status !== 200) throw new Error(`VersionData: ${answer.status}`)
        return Buffer.from(await answer.arrayBuffer())
      },
      advanceOrgClock(ms) {
        skew += ms
      },
      async close() {
        await gateway.close(0)
        await org.close()
      },
    }
  } catch (err) {
    await org.close()
    throw err
  }
}
