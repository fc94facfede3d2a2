import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { type Gateway, startGateway } from '../../../src/gateway.ts'
import { createLogger } from '../../../src/observability/logger.ts'
import type { PartnerService } from '../../../src/partners/partner-service.ts'
import { explainRequest } from '../../../src/pipeline/explain.ts'
import { createPortal, type Portal } from '../../../src/portal/portal.ts'
import type { PortalDeps } from '../../../src/portal/portal-deps.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'

export const ROOT = join(import.meta.dirname, '..', '..', '..')
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots')
export const PARTNER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

export interface PortalEnv {
  readonly org: DevOrg
  readonly origin: string
  readonly gateway: Gateway
  readonly portal: Portal
  readonly sessions: SqliteSessionStore
  readonly partners: PartnerService
  close(): Promise<void>
}

/** Registers the portal's own client at the dev org (dynamic registration, as a real org allows). */
async function registerPortalClient(
  org: DevOrg,
  origin: string,
): Promise<{ clientId: string; clientSecret: string }> {
  const answer = await fetch(`${org.url}/services/oauth2/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.seed.initialAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'forcegate developer portal',
      redirect_uris: [`${origin}/portal/callback`],
      post_logout_redirect_uris: [`${origin}/portal/signed-out`],
      scope: 'openid profile email',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }),
  })
  if (answer.status !== 201)
    throw new Error(`portal client registration: ${answer.status} ${await answer.text()}`)
  const body = (await answer.json()) as { client_id: string; client_secret: string }
  return { clientId: body.client_id, clientSecret: body.client_secret }
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler)
  return new Promise<{ server: typeof server; port: number }>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }))
  })
}

/**
 * The dev org, the order-status example (Salesforce tokens required, contracts checked) on the
 * gateway, and the portal on its own loopback server sharing the gateway's partners service.
 */
export async function startPortalEnv(overrides: Partial<PortalDeps> = {}): Promise<PortalEnv> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const closers: (() => Promise<void>)[] = []
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined)
  }
  try {
    const org = await startDevOrg({ port: 0 })
    closers.push(() => org.close())
    let portal: Portal | undefined
    const { server, port } = await listen((req, res) => {
      void (async () => {
        if (portal === undefined || !(await portal.handle(req, res))) res.writeHead(404).end()
      })()
    })
    closers.push(async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const origin = `http://127.0.0.1:${port}`
    const client = await registerPortalClient(org, origin)
    const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)!
    process.env.FORCEGATE_SF_CLIENT_SECRET = gatewayApp.clientSecret
    process.env.FORCEGATE_INITIAL_ACCESS_TOKEN = org.seed.initialAccessToken ?? ''
    process.env.FORCEGATE_ENCRYPTION_KEY = randomBytes(32).toString('base64')
    process.env.FORCEGATE_ADMIN_TOKEN = randomBytes(24).toString('base64url')
    const gateway = await startGateway({
      apiFile: join(ROOT, 'examples', 'order-status', 'openapi.yaml'),
      configFile: join(ROOT, 'examples', 'order-status', 'forcegate.yaml'),
      port: 0,
      logger: createLogger('silent'),
      configPatch(config) {
        const devorg = config.salesforce.orgs.devorg
        if (devorg !== undefined) Object.assign(devorg, { issuer: org.issuer, orgId: org.orgId })
        if (config.partners !== undefined) {
          config.partners.org.url = org.url
          config.partners.store.path = ':memory:'
          Object.assign(config.partners.registration, { contractApproval: 'manual' })
        }
        // This test serves its own portal beside the gateway; the gateway's stays off.
        delete config.portal
      },
    })
    closers.push(() => gateway.close())
    const partners = gateway.partners!
    const sessions = new SqliteSessionStore({ path: ':memory:' })
    closers.push(() => sessions.close())
    portal = createPortal({
      org: { issuer: org.issuer, ...client },
      publicOrigin: origin,
      partners: partners.service,
      sessions,
      admins: [PARTNER.username],
      gatewayUrl: gateway.url,
      apis: [{ name: 'order-status', title: 'Order Status API', scopes: ['api'], tryPath: '/orders' }],
      usagePlans: partners.plans,
      routes: gateway.table.routes.map((r) => ({ method: r.method, path: r.resourcePath })),
      explain: (input) => explainRequest(gateway.table, input, Date.now),
      ...overrides,
    })
    return { org, origin, gateway, portal, sessions, partners: partners.service, close: closeAll }
  } catch (err) {
    await closeAll()
    throw err
  }
}
