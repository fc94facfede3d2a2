import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type Faults, parseFaultsPatch } from './faults.ts'
import { type DevOrg, startDevOrg } from './index.ts'
import { SeedMismatchError } from './seed/org-seed.ts'
import { SeedError } from './seed/seed-validation.ts'

export const DEFAULT_DEVORG_PORT = 4400
/** Salesforce's Pub/Sub API port. */
export const DEFAULT_PUBSUB_PORT = 7443

const USAGE = `Usage: forcegate devorg [--port <n>] [--host <addr>] [--seed <seed.json>] [--data <dir>] [--faults <json>]
                       [--pubsub-port <n>] [--reseed]

Runs the dev org: a local Salesforce-compatible org (OAuth 2.0 / OpenID Connect at Salesforce's
paths, dynamic client registration, the REST slice, and the Pub/Sub API over gRPC with TLS).

  --port <n>        port to listen on (default FORCEGATE_DEVORG_PORT, else ${DEFAULT_DEVORG_PORT}; 0 picks a free one)
  --host <addr>     address to bind (default 127.0.0.1)
  --seed <file>     seed JSON (default: the seed that ships with forcegate)
  --data <dir>      keep state in <dir>/devorg.sqlite across restarts (default: in memory);
                    the folder keeps the seed it was created with and refuses a different --seed
  --reseed          make --seed (or the default seed) the --data folder's seed from now on
  --faults <json>   start with fault switches on, e.g. '{"slowMs":500,"introspectionDown":true}'
  --pubsub-port <n> Pub/Sub API (gRPC, TLS) port (default ${DEFAULT_PUBSUB_PORT}; 0 picks a free one)
  --help            show this text
`

type Io = { out: (text: string) => void; err: (text: string) => void }

const stdio: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}

/** What the operator needs to start using the org: where it is and the seeded credentials. */
export function describeDevOrg(org: DevOrg, dataDir: string | undefined): string {
  const lines = [
    `forcegate dev org listening on ${org.url}`,
    `  org id:        ${org.orgId} (${org.seed.org.name})`,
    `  issuer:        ${org.issuer}`,
    `  discovery:     ${org.url}/.well-known/openid-configuration`,
    `  storage:       ${dataDir === undefined ? 'in memory (lost on exit)' : join(dataDir, 'devorg.sqlite')}`,
    ...(org.pubsub
      ? [
          `  pub/sub api:   ${org.pubsub.endpoint} (gRPC over TLS, self-signed certificate)`,
          `  certificate:   ${org.pubsub.certificatePath ?? 'in memory (made at start)'}`,
        ]
      : []),
    '',
    '  users (username / password):',
    ...org.seed.users.map((u) => `    ${u.username} / ${u.password}${u.active ? '' : ' (inactive)'}`),
    '',
    '  connected apps:',
  ]
  for (const app of org.seed.connectedApps) {
    const traits = [
      app.introspectAll ? 'introspects all tokens' : '',
      app.runAs ? `client credentials as ${app.runAs}` : '',
      app.jwtAccessTokens ? 'JWT access tokens' : '',
      app.passwordFlow ? 'username-password flow' : '',
    ].filter(Boolean)
    lines.push(`    ${app.name}${traits.length ? ` (${traits.join('; ')})` : ''}`)
    lines.push(`      client_id:     ${app.clientId}`)
    lines.push(`      client_secret: ${app.clientSecret}`)
    if (app.redirectUris.length) lines.push(`      redirect_uris: ${app.redirectUris.join(' ')}`)
    lines.push(`      scopes:        ${app.scopes.join(' ')}`)
  }
  if (org.seed.initialAccessToken) {
    lines.push(
      '',
      `  initial access token (POST ${org.url}/services/oauth2/register):`,
      `    ${org.seed.initialAccessToken}`,
    )
  }
  lines.push('', `  fault switches: GET/POST ${org.url}/__devorg/faults`, '')
  return lines.join('\n')
}

/** `forcegate devorg …`: starts the org, prints how to use it, runs until SIGINT/SIGTERM. */
export async function runDevorgCli(argv: string[], io: Io = stdio): Promise<number> {
  let values: {
    port?: string
    host?: string
    seed?: string
    data?: string
    faults?: string
    'pubsub-port'?: string
    reseed?: boolean
    help?: boolean
  }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        faults: { type: 'string' },
        reseed: { type: 'boolean' },
        'pubsub-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    io.err(`forcegate devorg: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    io.out(USAGE)
    return 0
  }
  if (values.reseed && values.data === undefined) {
    io.err('forcegate devorg: --reseed: only a --data folder keeps a seed\n')
    return 2
  }
  const portText = values.port ?? process.env.FORCEGATE_DEVORG_PORT
  const port = portText === undefined ? DEFAULT_DEVORG_PORT : Number(portText)
  if (portText?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    const from = values.port === undefined ? 'FORCEGATE_DEVORG_PORT' : '--port'
    io.err(`forcegate devorg: ${from}: expected an integer from 0 to 65535\n`)
    return 2
  }
  const pubsubPort = values['pubsub-port'] === undefined ? DEFAULT_PUBSUB_PORT : Number(values['pubsub-port'])
  if (!Number.isInteger(pubsubPort) || pubsubPort < 0 || pubsubPort > 65535) {
    io.err('forcegate devorg: --pubsub-port: expected an integer from 0 to 65535\n')
    return 2
  }
  let faults: Partial<Faults> = {}
  if (values.faults !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(values.faults)
    } catch {
      io.err('forcegate devorg: --faults: expected a JSON object\n')
      return 2
    }
    const patch = parseFaultsPatch(parsed)
    if (typeof patch === 'string') {
      io.err(`forcegate devorg: --faults: ${patch}\n`)
      return 2
    }
    faults = patch
  }

  let org: DevOrg
  try {
    org = await startDevOrg({
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.seed === undefined ? {} : { seed: values.seed }),
      ...(values.data === undefined ? {} : { dataDir: values.data }),
      ...(values.reseed === true ? { reseed: true } : {}),
      faults,
      pubsub: { port: pubsubPort },
      log: (line) => io.err(`${line}\n`),
    })
  } catch (error) {
    if (error instanceof SeedMismatchError) {
      io.err(`forcegate devorg: ${error.message}\n`)
      return 2
    }
    const { code, address, port: taken } = error as { code?: unknown; address?: unknown; port?: unknown }
    if (error instanceof SeedError) io.err(`${error.message}\n`)
    else if (code === 'EADDRINUSE')
      io.err(
        `forcegate devorg: ${String(address)}:${String(taken)} is already in use (EADDRINUSE): stop what holds it, or choose another port with --port or FORCEGATE_DEVORG_PORT (--pubsub-port for the Pub/Sub API)\n`,
      )
    else io.err(`forcegate devorg: ${(error as Error).message}\n`)
    return 1
  }
  // Listening before the banner says we are up, and never unlistening: the same signal can come
  // twice (Ctrl-C reaches the whole process group, a wrapper passes it on too), and the second
  // must neither cut the close short nor kill the process on its way out.
  let stop = (): void => {}
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  io.out(describeDevOrg(org, values.data))
  await stopped
  await org.close()
  return 0
}
