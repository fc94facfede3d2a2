import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Directory } from './directory.ts'
import { createEventBus } from './events/event-bus.ts'
import { defaultFaults, type Faults } from './faults.ts'
import { createAuthenticator, type LookupDeps } from './oauth/access-token-lookup.ts'
import { orgUrls } from './oauth/org-urls.ts'
import { createProvider, type ProviderDeps } from './oauth/provider.ts'
import { installSalesforceShaping } from './oauth/salesforce-shaping.ts'
import { loadSigningKeys } from './oauth/signing-keys.ts'
import { type PubSubServer, startPubSubServer } from './pubsub/pubsub-server.ts'
import { loadOrCreateCertificate } from './pubsub/tls-certificate.ts'
import { createRestApi } from './rest/index.ts'
import { buildSchema } from './rest/sobject-schema.ts'
import { type Counters, createRouter } from './router.ts'
import { DEFAULT_SEED_PATH, loadSeed } from './seed/load-seed.ts'
import { orgSeed, seedSource } from './seed/org-seed.ts'
import type { DevOrgSeed } from './seed/seed-types.ts'
import { openDatabase } from './store/database.ts'

export type { Faults } from './faults.ts'
export type { DevOrgSeed } from './seed/seed-types.ts'

export type DevOrgOptions = {
  port?: number
  host?: string
  /** The seed a new data folder is created with; a folder that has one keeps it (see reseed). */
  seed?: DevOrgSeed | string
  dataDir?: string
  /** Make `seed` (the default seed when absent) the data folder's seed, replacing the one it has. */
  reseed?: boolean
  faults?: Partial<Faults>
  log?: (line: string) => void
  /** The org's clock (ms): token times, expiry, introspection, userinfo. Tests move it. */
  clock?: () => number
  /**
   * Serve the Pub/Sub API (gRPC over TLS) on `port` (0: any free one); absent: not served.
   * `keepaliveMs` is how often an idle subscription gets a keepalive (Salesforce: within 270 s).
   */
  pubsub?: { port: number; keepaliveMs?: number }
  /** How long published events stay replayable (default 72 hours, as Salesforce keeps them). */
  eventRetentionMs?: number
}

export type DevOrg = {
  url: string
  issuer: string
  orgId: string
  seed: DevOrgSeed
  faults: Faults
  counters: Counters
  /** The Pub/Sub API endpoint (`host:port`) and its TLS certificate, when served. */
  pubsub: { endpoint: string; port: number; certificate: string; certificatePath: string | null } | null
  close(): Promise<void>
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** Starts the dev org: a Salesforce stand-in with OAuth/OIDC and the REST slice. */
export async function startDevOrg(options: DevOrgOptions = {}): Promise<DevOrg> {
  const given = { seed: loadSeed(options.seed), source: seedSource(options.seed, DEFAULT_SEED_PATH) }
  const log = options.log ?? (() => {})
  const now = options.clock ?? Date.now
  const db = openDatabase(options.dataDir)
  let seed = given.seed
  if (options.dataDir !== undefined) {
    const named = options.seed !== undefined
    try {
      seed = orgSeed(db, options.dataDir, given, { named, reseed: options.reseed === true })
    } catch (error) {
      db.close()
      throw error
    }
  }
  const directory = new Directory(seed)
  const keys = loadSigningKeys(db, directory.orgId)
  const faults: Faults = { ...defaultFaults, ...options.faults }
  const counters: Counters = { introspection: 0, userinfo: 0, token: 0 }

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end()
  }
  const server = createServer((req, res) => handler(req, res))
  const host = options.host ?? '127.0.0.1'
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    db.close()
    throw error
  }
  const { port } = server.address() as AddressInfo
  const urls = orgUrls(`http://${urlHost(host)}:${port}`, directory.orgId)

  let pubsub: PubSubServer | null = null
  let certificatePath: string | null = null
  try {
    const providerDeps: ProviderDeps = { db, directory, urls, keys, now }
    const provider = createProvider(providerDeps)
    installSalesforceShaping(provider, { db, urls, now, registrar: directory.registrarClientId })
    const lookup: LookupDeps = {
      db,
      directory,
      accessTokenKey: keys.accessToken,
      issuer: () => urls.base,
      now,
    }
    const eventBus = createEventBus({
      db,
      schema: buildSchema(seed),
      now,
      ...(options.eventRetentionMs === undefined ? {} : { retentionMs: options.eventRetentionMs }),
    })
    const rest = createRestApi({
      db,
      orgId: directory.orgId,
      baseUrl: () => urls.base,
      authenticate: createAuthenticator(lookup),
      seed,
      faults,
      eventBus,
    })
    handler = createRouter({ provider, providerDeps, lookup, urls, directory, faults, counters, rest, log })
    if (options.pubsub) {
      const certificate = await loadOrCreateCertificate(options.dataDir, host)
      certificatePath = certificate.certPath
      pubsub = await startPubSubServer({
        bus: eventBus,
        certificate,
        host,
        port: options.pubsub.port,
        orgId: directory.orgId,
        authenticate: createAuthenticator(lookup),
        unavailable: () => faults.unavailable,
        ...(options.pubsub.keepaliveMs === undefined ? {} : { keepaliveMs: options.pubsub.keepaliveMs }),
      })
    }
  } catch (error) {
    server.close()
    db.close()
    throw error
  }

  return {
    url: urls.base,
    issuer: urls.base,
    orgId: directory.orgId,
    seed,
    faults,
    counters,
    pubsub: pubsub && {
      endpoint: pubsub.endpoint,
      port: pubsub.port,
      certificate: pubsub.certificate,
      certificatePath,
    },
    close: async () => {
      await pubsub?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      db.close()
    },
  }
}
