/**
 * `npm start`: the whole product on one machine with the embedded defaults: the dev org (a
 * local Salesforce-compatible org) and the order-status example protected by Salesforce
 * identity, with partner onboarding and the admin API, printing what to try once it is up.
 *
 * The relay runs beside the gateway: Order_Event__e published at the dev org reaches the
 * example's POST /orders/events route over the dev org's Pub/Sub API.
 *
 * The employee blog (examples/employee-blog) runs beside it on FORCEGATE_BLOG_PORT (8081, the
 * callback the dev org's "Employee Blog" app knows); its posts are in BLOG_DB (.forcegate/blog.db).
 *
 * Environment: FORCEGATE_PORT (8080), FORCEGATE_DEVORG_PORT (4400), FORCEGATE_PUBSUB_PORT (7443,
 * the dev org's Pub/Sub API), FORCEGATE_HOME (.forcegate: the dev org's data, the partner store,
 * its encryption key, the admin token, the relay's checkpoints and the order events live there,
 * and devorg.yaml, the dev org for `forcegate archive` and `sync`).
 *
 * The portal's Opportunities page is on: the signed-in user's deals and their contracts.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { startDevOrg } from '../devorg/index.ts'
import { formatRouteTable } from '../src/cli/format-route-table.ts'
import { guardProcess } from '../src/cli/guard-process.ts'
import { listenFailure } from '../src/cli/listen-failure.ts'
import { openRelay } from '../src/cli/relay-command.ts'
import type { GatewayFile } from '../src/config/gateway-file-schema.ts'
import { ConfigError, ConfigErrors } from '../src/errors/config-error.ts'
import { startGateway } from '../src/gateway.ts'
import { loadOrCreateEncryptionKey } from '../src/partners/encryption-key-file.ts'
import { seedForGatewayPorts } from './seed-for-port.ts'

const home = resolve(process.env.FORCEGATE_HOME ?? '.forcegate')
mkdirSync(home, { recursive: true, mode: 0o700 })
const storePath = join(home, 'partners.db')

const port = portFrom('FORCEGATE_PORT', 8080)
const blogPort = portFrom('FORCEGATE_BLOG_PORT', port === 0 ? 0 : 8081)
const org = await listening('FORCEGATE_DEVORG_PORT', [], () =>
  startDevOrg({
    port: portFrom('FORCEGATE_DEVORG_PORT', 4400),
    dataDir: join(home, 'devorg'),
    // The seeded apps' callbacks name the gateways' ports: follow the ones in use. The folder
    // takes this seed at each start, so moving a port back and forth keeps sign-in working.
    seed: seedForGatewayPorts(
      new Map([
        [8080, port],
        [8081, blogPort],
      ]),
    ),
    reseed: true,
    pubsub: { port: portFrom('FORCEGATE_PUBSUB_PORT', 7443) },
    log: () => {},
  }),
)
const pubsub = org.pubsub!
const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)
if (gatewayApp === undefined) throw new Error('the dev org seed has no introspectAll app for the gateway')

process.env.FORCEGATE_SF_CLIENT_SECRET ??= gatewayApp.clientSecret
process.env.FORCEGATE_PORTAL_CLIENT_SECRET ??=
  org.seed.connectedApps.find((a) => a.name === 'Order Portal')?.clientSecret ?? ''
process.env.FORCEGATE_INITIAL_ACCESS_TOKEN ??= org.seed.initialAccessToken ?? ''
process.env.FORCEGATE_ENCRYPTION_KEY ??= loadOrCreateEncryptionKey(
  undefined,
  join(home, 'encryption.key'),
  storePath,
).key
process.env.FORCEGATE_ADMIN_TOKEN ??= persistentToken(join(home, 'admin-token'))
// Where the example's order-events function keeps the events it applied (its "database").
process.env.ORDER_EVENTS_FILE ??= join(home, 'order-events.jsonl')
process.env.FORCEGATE_BLOG_CLIENT_SECRET ??=
  org.seed.connectedApps.find((a) => a.name === 'Employee Blog')?.clientSecret ?? ''
process.env.BLOG_DB ??= join(home, 'blog.db')

// Other commands (serve, explain, partners) need the same secrets: one file to source.
writeFileSync(
  join(home, 'forcegate.env'),
  [
    'FORCEGATE_SF_CLIENT_SECRET',
    'FORCEGATE_PORTAL_CLIENT_SECRET',
    'FORCEGATE_INITIAL_ACCESS_TOKEN',
    'FORCEGATE_ENCRYPTION_KEY',
    'FORCEGATE_ADMIN_TOKEN',
    'FORCEGATE_BLOG_CLIENT_SECRET',
  ]
    .map((name) => `${name}=${process.env[name]}\n`)
    .join(''),
  { mode: 0o600 },
)

// The dev org as the commands that read an org (`forcegate archive`, `forcegate sync`) see it:
// its address on the port in use, and the gateway app's secret in a file beside it.
const devorgConfig = join(home, 'devorg.yaml')
writeFileSync(join(home, 'gateway-app-secret'), `${gatewayApp.clientSecret}\n`, { mode: 0o600 })
writeFileSync(
  devorgConfig,
  `# Written by npm start at each start: the dev org it runs, for forcegate archive and sync.
salesforce:
  orgs:
    devorg:
      issuer: ${org.issuer}
      orgId: ${org.orgId}
      introspection:
        # The "forcegate Gateway" app, which runs as the integration user (Modify All Data).
        clientId: ${gatewayApp.clientId}
        clientSecret: { file: gateway-app-secret }
`,
  { mode: 0o600 },
)
/** A path to print: relative to where commands are typed when it is below it. */
const shown = (path: string): string => {
  const rel = relative(process.cwd(), path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

const configFile = 'examples/order-status/forcegate.yaml'
/** The example names the dev org's default addresses; follow the ones actually in use. */
function followDevOrg(config: GatewayFile): void {
  const devorg = config.salesforce.orgs.devorg
  if (devorg !== undefined) Object.assign(devorg, { issuer: org.issuer, orgId: org.orgId })
  if (config.partners !== undefined) {
    config.partners.org.url = org.url
    config.partners.store.path = storePath
  }
  if (config.portal !== undefined) {
    config.portal.sessions.path = join(home, 'sessions.db')
    if (port !== 0) config.portal.publicOrigin = `http://127.0.0.1:${port}`
  }
  const relayOrg = config.relay.orgs.devorg
  if (relayOrg !== undefined) relayOrg.pubsub.endpoint = pubsub.endpoint
  config.relay.store = join(home, 'relay.db')
}
const gateway = await listening('FORCEGATE_PORT', [org], () =>
  startGateway({
    apiFile: 'examples/order-status/openapi.yaml',
    configFile,
    port,
    configPatch: followDevOrg,
  }),
)
// The relay, as `forcegate serve` runs it: route targets reach this gateway's listener.
const relay = await openRelay({ configFile, gatewayUrl: gateway.url, configPatch: followDevOrg }).catch(
  async (error: unknown) => {
    await gateway.close(0)
    await org.close()
    throw error
  },
)
const blog = await listening(
  'FORCEGATE_BLOG_PORT',
  [...(relay === undefined ? [] : [relay]), gateway, org],
  () =>
    startGateway({
      apiFile: 'examples/employee-blog/openapi.yaml',
      configFile: 'examples/employee-blog/forcegate.yaml',
      port: blogPort,
      configPatch(config) {
        const devorg = config.salesforce.orgs.devorg
        if (devorg !== undefined) Object.assign(devorg, { issuer: org.issuer, orgId: org.orgId })
        if (config.partners !== undefined) {
          config.partners.org.url = org.url
          config.partners.store.path = join(home, 'blog-partners.db')
        }
        if (config.portal !== undefined) {
          config.portal.sessions.path = join(home, 'blog-sessions.db')
          if (blogPort !== 0) config.portal.publicOrigin = `http://127.0.0.1:${blogPort}`
        }
      },
    }),
).catch(async (error: unknown) => {
  await relay?.close()
  await gateway.close(0)
  await org.close()
  throw error
})
guardProcess((kind, err) =>
  process.stderr.write(`forcegate: ${kind} outside any request (kept serving): ${String(err)}\n`),
)

// Listening before the banner says we are up, and until both are closed: the same signal can
// come twice (Ctrl-C reaches npm and us, and npm passes it on), and a second one must not cut
// the gateway's drain short or leave the dev org running.
let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  closeAll().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`forcegate: stopping failed: ${String(error)}\n`)
      process.exit(1)
    },
  )
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)

async function closeAll(): Promise<void> {
  try {
    // The relay first: a delivery in flight finishes through the still-open listener.
    await relay?.close()
    await gateway.close()
    await blog.close()
  } finally {
    await org.close()
  }
}

process.stderr.write(`dev org: ${org.url} (users, apps and secrets: devorg/seed/default-seed.json)\n`)
process.stderr.write(`dev org Pub/Sub API: ${pubsub.endpoint} (TLS, self-signed)\n`)
process.stderr.write(formatRouteTable(gateway.table, gateway.url))
process.stderr.write(`
Admin token (partners API): ${process.env.FORCEGATE_ADMIN_TOKEN}
Gateway: ${gateway.url}   Dev org: ${org.url}   State: ${home}
Developer portal: ${gateway.url}/portal   (sign in as admin@partner.example.com / Partner-Admin-1)
Opportunities: ${gateway.url}/portal/opportunities   (Pat's deals and one shared with Pat; drop a
  contract file on a deal: it is attached in the dev org as Pat)
Archive the dev org's Opportunities and their files into a folder (README "Opportunities archived to S3"):
  npx forcegate archive opportunities --org devorg --to ./opportunity-archive --config ${shown(devorgConfig)}
Secrets for other commands: set -a; . ${join(home, 'forcegate.env')}; set +a

Try it (README "Walkthrough" has every step):
  curl ${gateway.url}/health
  curl -i ${gateway.url}/orders/1001                 # 401: a Salesforce token is required
  node bin/forcegate.js partners register --org ${org.url} --name "Acme" \\
       --redirect-uri http://127.0.0.1:8765/callback --api order-status --plan standard

Platform events (README "Walkthrough: an order event from Salesforce"): publish Order_Event__e
at ${org.url}/services/data/v62.0/sobjects/Order_Event__e; the relay delivers it to
POST /orders/events; GET ${gateway.url}/orders/<id>/events shows what it changed.

Employee blog: ${blog.url}   (anyone reads; employees sign in to publish, e.g.
  jane@forcegate.example.com / Jane-Developer-1; moderator@forcegate.example.com / Blog-Moderator-1
  deletes anyone's post; reseller@partner.example.com / Partner-User-1 is a partner: refused)

Ctrl-C stops it.
`)

function persistentToken(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return token
}

/** A port from its variable: an integer from 0 to 65535, or a one-line refusal. */
function portFrom(variable: string, fallback: number): number {
  const text = process.env[variable]
  if (text === undefined || text === '') return fallback
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`${variable} expects an integer from 0 to 65535, found '${text}'`)
  return port
}

/**
 * Starts a listener. A port in use or a configuration error ends npm start with what to
 * change (one line, or the list of problems), never Node's stack; `started` is closed first so
 * nothing is left listening.
 */
async function listening<T>(
  variable: string,
  started: readonly { close(): Promise<void> }[],
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start()
  } catch (err) {
    const why = listenFailure(err, variable)
    const problem =
      why ??
      (err instanceof ConfigError || err instanceof ConfigErrors
        ? `configuration error\n${err.message}`
        : undefined)
    if (problem === undefined) throw err
    for (const listener of started) await listener.close().catch(() => undefined)
    return fail(problem)
  }
}

function fail(message: string): never {
  process.stderr.write(`forcegate: ${message}\n`)
  process.exit(1)
}
