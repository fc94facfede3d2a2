/**
 * `npm start`: the whole product on one machine with the embedded defaults: the dev org (a
 * local Salesforce-compatible org) and the order-status example protected by Salesforce
 * identity, with partner onboarding and the admin API, printing what to try once it is up.
 *
 * Environment: FORCEGATE_PORT (8080), FORCEGATE_DEVORG_PORT (4400), FORCEGATE_HOME (.forcegate:
 * the dev org's data, the partner store, its encryption key and the admin token live there).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { startDevOrg } from '../devorg/index.ts'
import { formatRouteTable } from '../src/cli/format-route-table.ts'
import { guardProcess } from '../src/cli/guard-process.ts'
import { startGateway } from '../src/gateway.ts'
import { loadOrCreateEncryptionKey } from '../src/partners/encryption-key-file.ts'

const home = resolve(process.env.FORCEGATE_HOME ?? '.forcegate')
mkdirSync(home, { recursive: true, mode: 0o700 })
const storePath = join(home, 'partners.db')

const org = await startDevOrg({
  port: Number(process.env.FORCEGATE_DEVORG_PORT ?? 4400),
  dataDir: join(home, 'devorg'),
  log: () => {},
})
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

// Other commands (serve, explain, partners) need the same secrets: one file to source.
writeFileSync(
  join(home, 'forcegate.env'),
  [
    'FORCEGATE_SF_CLIENT_SECRET',
    'FORCEGATE_PORTAL_CLIENT_SECRET',
    'FORCEGATE_INITIAL_ACCESS_TOKEN',
    'FORCEGATE_ENCRYPTION_KEY',
    'FORCEGATE_ADMIN_TOKEN',
  ]
    .map((name) => `${name}=${process.env[name]}\n`)
    .join(''),
  { mode: 0o600 },
)

const port = Number(process.env.FORCEGATE_PORT ?? 8080)
const gateway = await startGateway({
  apiFile: 'examples/order-status/openapi.yaml',
  configFile: 'examples/order-status/forcegate.yaml',
  port,
  configPatch(config) {
    // The example names the dev org's default address; follow the one actually in use.
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
  },
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
    await gateway.close()
  } finally {
    await org.close()
  }
}

process.stderr.write(`dev org: ${org.url} (users, apps and secrets: devorg/seed/default-seed.json)\n`)
process.stderr.write(formatRouteTable(gateway.table, gateway.url))
process.stderr.write(`
Admin token (partners API): ${process.env.FORCEGATE_ADMIN_TOKEN}
Gateway: ${gateway.url}   Dev org: ${org.url}   State: ${home}
Developer portal: ${gateway.url}/portal   (sign in as admin@partner.example.com / Partner-Admin-1)
Secrets for other commands: set -a; . ${join(home, 'forcegate.env')}; set +a

Try it (README "Walkthrough" has every step):
  curl ${gateway.url}/health
  curl -i ${gateway.url}/orders/1001                 # 401: a Salesforce token is required
  node bin/forcegate.js partners register --org ${org.url} --name "Acme" \\
       --redirect-uri http://127.0.0.1:8765/callback --api order-status --plan standard

Ctrl-C stops it.
`)

function persistentToken(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return token
}
