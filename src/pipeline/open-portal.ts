import type { GatewayFile } from '../config/gateway-file-schema.ts'
import type { ResolvedSalesforceOrg } from '../config/resolve-salesforce-orgs.ts'
import { resolveSecret } from '../config/secret-ref.ts'
import { ConfigError } from '../errors/config-error.ts'
import { createRecordsAsUser } from '../integrations/salesforce/records-as-user.ts'
import type { PartnersRuntime } from '../partners/open-partners.ts'
import { cookiePolicyFor, isLoopbackHttp } from '../portal/cookie-policy.ts'
import type { SessionRouteAuth } from '../portal/session-route-auth.ts'
import { explainRequest } from './explain.ts'
import type { OwnedHandler } from './gateway-routes.ts'
import type { AuthOutcome, RouteAuth, RouteTable } from './types.ts'

export interface PortalRuntime {
  /** Route auth for operations whose scheme carries `x-forcegate-session`. */
  sessionAuth(): RouteAuth
  /** The handler of everything under /portal, built once the route table exists (for "try it" explanations). */
  handler(table: RouteTable): OwnedHandler
  /** The shared stores the sessions live in that cannot answer now (readiness). */
  probe(): Promise<readonly string[]>
  close(): Promise<void>
}

/**
 * Opens the portal's session store and checks its configuration before routes compile, so
 * session-guarded routes and the portal share one store and one cookie name. With
 * `stores.postgres` the sessions live there, shared by every instance; else in SQLite.
 */
export async function openPortal(
  config: GatewayFile,
  orgs: ReadonlyMap<string, ResolvedSalesforceOrg>,
  partners: PartnersRuntime | undefined,
  file: string,
  resolvePath: (path: string) => string,
  clock: () => number,
  log: (entry: Readonly<Record<string, unknown>>, message: string) => void,
): Promise<PortalRuntime | undefined> {
  const portal = config.portal
  if (portal === undefined) return undefined
  // The portal's modules (its sign-in client, the PostgreSQL session store) load only when it is configured.
  const { createPortal, PostgresSessionStore, SqliteSessionStore, sessionRouteAuth, sessionSecretBox } =
    await import('../portal/index.ts')
  const org = orgs.get(portal.org)
  if (org === undefined)
    throw new ConfigError(file, '/portal/org', `org '${portal.org}' is not defined under salesforce.orgs`)
  if (partners === undefined)
    throw new ConfigError(
      file,
      '/portal',
      'the portal registers apps through the partners service: add a partners section',
    )
  portal.apis.forEach((api, i) => {
    if (api.plan !== undefined && !partners.plans.has(api.plan))
      throw new ConfigError(
        file,
        `/portal/apis/${i}/plan`,
        `usage plan '${api.plan}' is not in partners.usagePlans`,
      )
  })
  // The browser signs in at this org: plain http would carry codes and tokens in the clear.
  const issuer = new URL(org.issuer)
  if (issuer.protocol !== 'https:' && !isLoopbackHttp(issuer))
    throw new ConfigError(
      file,
      `/salesforce/orgs/${portal.org}/issuer`,
      `the portal signs in at this org: its issuer must use https (http only on a loopback host such as 127.0.0.1), found ${org.issuer}`,
    )
  let cookies: ReturnType<typeof cookiePolicyFor>
  try {
    cookies = cookiePolicyFor(portal.publicOrigin)
  } catch (err) {
    throw new ConfigError(file, '/portal/publicOrigin', (err as Error).message)
  }
  const deals = portal.opportunities
  // The gateway refuses a declared body above server.maxBodyBytes before the portal's page can.
  if (deals.enabled && deals.maxBytes + 65_536 > config.server.maxBodyBytes)
    throw new ConfigError(
      file,
      '/portal/opportunities/maxBytes',
      `contract files up to ${deals.maxBytes} bytes need server.maxBodyBytes of at least ${deals.maxBytes + 65_536} (the form around the file), found ${config.server.maxBodyBytes}`,
    )
  const clientSecret = resolveSecret(portal.client.clientSecret, file, '/portal/client/clientSecret')
  // Sessions are sealed with a key derived from the partner store's (resolved and checked there).
  const encryption = config.partners?.encryption
  const secretBox =
    encryption === undefined
      ? undefined
      : sessionSecretBox(
          resolveSecret(encryption.key, file, '/partners/encryption/key'),
          encryption.previousKeys.map((ref, i) =>
            resolveSecret(ref, file, `/partners/encryption/previousKeys/${i}`),
          ),
        )
  const postgres = config.stores.postgres
  const shared =
    postgres === undefined || secretBox === undefined
      ? undefined
      : await PostgresSessionStore.open({
          url: resolveSecret(postgres.url, file, '/stores/postgres/url'),
          secretBox,
          queryTimeoutMs: postgres.queryTimeoutMs,
          maxConnections: postgres.maxConnections,
          onError: (error) => log({ err: error.message }, 'session store (PostgreSQL): connection lost'),
        })
  const sessions =
    shared ??
    new SqliteSessionStore({
      path: resolvePath(portal.sessions.path),
      ...(secretBox === undefined ? {} : { secretBox }),
    })
  const timing = { sessionSeconds: portal.sessions.sessionSeconds, idleSeconds: portal.sessions.idleSeconds }
  const records = deals.enabled ? createRecordsAsUser(org) : undefined
  return {
    sessionAuth: () =>
      sessionAdapter(
        sessionRouteAuth(sessions, cookies.sessionName, { origins: [portal.publicOrigin], ...timing }),
      ),
    handler(table) {
      const handler = createPortal({
        org: { issuer: org.issuer, clientId: portal.client.clientId, clientSecret },
        publicOrigin: portal.publicOrigin,
        partners: partners.service,
        sessions,
        admins: portal.admins,
        gatewayUrl: portal.publicOrigin,
        apis: portal.apis,
        usagePlans: partners.plans,
        routes: table.routes.map((r) => ({ method: r.method, path: r.resourcePath })),
        explain: (input) => explainRequest(table, input, clock),
        clock,
        log,
        ...timing,
        ...(records === undefined
          ? {}
          : { opportunities: { records, maxBytes: deals.maxBytes, contentTypes: deals.contentTypes } }),
      })
      return (req, res) => handler.handle(req, res)
    },
    async probe() {
      if (shared === undefined) return []
      try {
        await shared.ping()
        return []
      } catch {
        return ['postgres']
      }
    },
    close: async () => {
      await records?.close()
      await sessions.close()
    },
  }
}

const NO_CHECKS: RouteAuth['checks'] = Object.freeze([])

/** A browser session is one authenticate-and-authorize adapter: the cookie names the principal. */
export function sessionAdapter(session: SessionRouteAuth): RouteAuth {
  return {
    description: session.description,
    trustedHeaderNames: session.trustedHeaderNames,
    async authenticate({ view, explain }) {
      const outcome = await session.authorize(view, explain)
      return { principalId: outcome.principalId, identity: outcome }
    },
    checks: NO_CHECKS,
    enrich: (principal) => principal.identity as AuthOutcome,
  }
}
