import type { Clock } from '../cache/ttl-lru.ts'
import { resolveSecret } from '../config/secret-ref.ts'
import type { StoresConfig } from '../config/stores-schema.ts'
import { ConfigError } from '../errors/config-error.ts'
import { isLoopbackHost } from '../lib/loopback-host.ts'
import type { PartnerStore } from '../store/partner-store.ts'
import { PostgresPartnerStore } from '../store/postgres-partner-store.ts'
import { SecretBox } from '../store/secret-box.ts'
import { SqlitePartnerStore } from '../store/sqlite-partner-store.ts'
import { type AdminHandler, createPartnersAdminApi } from './admin-api.ts'
import { ContractCache } from './contract-cache.ts'
import { DcrClient, type FetchLike } from './dcr-client.ts'
import { openUsageLimiter } from './open-usage-limiter.ts'
import { PartnerChangeFeed, type PartnerFeedEvent } from './partner-change-feed.ts'
import { PartnerService } from './partner-service.ts'
import type { PartnersConfig } from './partners-config.ts'
import type { StoreErrorEvent } from './redis-usage-limiter.ts'
import type { UsageLimiter } from './usage-limiter.ts'
import { compileUsagePlans, type UsagePlan } from './usage-plans.ts'

export interface PartnersRuntime {
  readonly service: PartnerService
  readonly store: PartnerStore
  readonly plans: ReadonlyMap<string, UsagePlan>
  readonly limiter: UsageLimiter
  /** Present when `admin.token` is configured. */
  readonly adminApi: AdminHandler | undefined
  /** Decisions cached in this process; shared stores' change feeds drop entries of it. */
  readonly contractCache: ContractCache
  /** The shared stores that cannot answer now (empty when all can, or none is shared). */
  probe(): Promise<readonly string[]>
  close(): Promise<void>
}

export interface OpenPartnersOptions {
  /** The configuration file, for error messages. */
  readonly file: string
  /** JSON pointer of the partners section in that file. */
  readonly pointer?: string
  readonly env?: NodeJS.ProcessEnv
  readonly fetch?: FetchLike
  readonly clock?: Clock
  readonly onAdminError?: (error: unknown) => void
  /** The `stores` section: absent or empty means the embedded defaults (in-process limits, SQLite). */
  readonly stores?: StoresConfig
  /** A shared store failing or recovering, for the log. */
  readonly onStoreEvent?: (event: StoreErrorEvent) => void
  /** The PostgreSQL partner store's change feed losing or regaining its connection, for the log. */
  readonly onPartnerStoreEvent?: (event: PartnerFeedEvent) => void
}

/** Secrets and plans resolved from the configuration before any store opens. */
interface ResolvedPartners {
  readonly env: NodeJS.ProcessEnv
  readonly at: string
  readonly secret: (ref: Parameters<typeof resolveSecret>[0], pointer: string) => string
  readonly plans: ReadonlyMap<string, UsagePlan>
  readonly box: SecretBox
  readonly adminToken: string | undefined
}

function resolvePartners(config: PartnersConfig, options: OpenPartnersOptions): ResolvedPartners {
  const env = options.env ?? process.env
  const at = options.pointer ?? '/partners'
  const secret = (ref: Parameters<typeof resolveSecret>[0], pointer: string) =>
    resolveSecret(ref, options.file, `${at}${pointer}`, env)

  // The initial access token travels to this URL: never in clear beyond this machine.
  const orgUrl = new URL(config.org.url)
  if (orgUrl.protocol !== 'https:' && !isLoopbackHost(orgUrl.hostname))
    throw new ConfigError(
      options.file,
      `${at}/org/url`,
      `https:// (http:// only for loopback hosts), found ${config.org.url}`,
    )
  let plans: ReadonlyMap<string, UsagePlan>
  try {
    plans = compileUsagePlans(config.usagePlans)
  } catch (error) {
    throw new ConfigError(options.file, `${at}/usagePlans`, (error as Error).message)
  }
  let box: SecretBox
  try {
    box = SecretBox.fromBase64(
      secret(config.encryption.key, '/encryption/key'),
      config.encryption.previousKeys.map((ref, i) => secret(ref, `/encryption/previousKeys/${i}`)),
    )
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(options.file, `${at}/encryption`, (error as Error).message)
  }
  // Resolved before the store opens, so a bad reference leaves no open database behind.
  const adminToken = config.admin.token === undefined ? undefined : secret(config.admin.token, '/admin/token')
  if (adminToken !== undefined && adminToken.length < 16)
    throw new ConfigError(
      options.file,
      `${at}/admin/token`,
      'the admin token must have at least 16 characters',
    )
  return { env, at, secret, plans, box, adminToken }
}

/**
 * Builds the partners service from its configuration section: resolves the secret references,
 * opens the embedded store (failing at start-up on a wrong encryption key), compiles the usage
 * plans. The initial access token is resolved at each registration, so the gateway starts
 * without it and picks up a regenerated one. `openSharedPartners` also opens PostgreSQL.
 */
export function openPartners(config: PartnersConfig, options: OpenPartnersOptions): PartnersRuntime {
  if (options.stores?.postgres !== undefined)
    throw new ConfigError(
      options.file,
      '/stores/postgres',
      'the PostgreSQL partner store opens asynchronously',
    )
  const resolved = resolvePartners(config, options)
  const store = new SqlitePartnerStore({
    path: config.store.path,
    secretBox: resolved.box,
    // Recorded so the partners CLI, sharing the store, refuses the plan names this gateway would.
    usagePlans: [...resolved.plans.keys()],
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  return buildRuntime(config, options, resolved, store, () => store.close())
}

/**
 * The partners service on the store the configuration selects: PostgreSQL when
 * `stores.postgres` is set (migrated at start-up, other instances' changes followed through
 * its change feed), else the embedded SQLite file.
 */
export async function openSharedPartners(
  config: PartnersConfig,
  options: OpenPartnersOptions,
): Promise<PartnersRuntime> {
  const postgres = options.stores?.postgres
  if (postgres === undefined) return openPartners(config, options)
  const resolved = resolvePartners(config, options)
  const url = resolveSecret(postgres.url, options.file, '/stores/postgres/url', resolved.env)
  const store = await PostgresPartnerStore.open({
    url,
    secretBox: resolved.box,
    usagePlans: [...resolved.plans.keys()],
    queryTimeoutMs: postgres.queryTimeoutMs,
    maxConnections: postgres.maxConnections,
    onError: (error) => options.onPartnerStoreEvent?.({ kind: 'lost', error: error.message }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  let feed: PartnerChangeFeed | undefined
  const closeStore = async () => {
    await feed?.close()
    await store.close()
  }
  let runtime: PartnersRuntime
  try {
    runtime = buildRuntime(config, options, resolved, store, closeStore)
  } catch (error) {
    await store.close()
    throw error
  }
  feed = new PartnerChangeFeed({
    url,
    source: store,
    sink: runtime.contractCache,
    pollMs: postgres.changePollMs,
    connectTimeoutMs: postgres.queryTimeoutMs,
    ...(options.onPartnerStoreEvent === undefined ? {} : { onEvent: options.onPartnerStoreEvent }),
  })
  await feed.start()
  return runtime
}

function buildRuntime(
  config: PartnersConfig,
  options: OpenPartnersOptions,
  { env, secret, plans, adminToken }: ResolvedPartners,
  store: PartnerStore,
  closeStore: () => Promise<void>,
): PartnersRuntime {
  const registrar = new DcrClient({
    orgUrl: config.org.url,
    initialAccessToken: () => {
      try {
        return secret(config.org.initialAccessToken, '/org/initialAccessToken')
      } catch {
        return undefined
      }
    },
    timeoutMs: config.org.timeoutMs,
    redirectUriLimits: {
      maxCount: config.registration.maxRedirectUris,
      maxLength: config.registration.maxRedirectUriLength,
    },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  const contractCache = new ContractCache(store, {
    ttlMs: config.contractCacheTtlSeconds * 1000,
    maxEntries: config.contractCacheMaxEntries,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  const service = new PartnerService({
    store,
    contractCache,
    registrar,
    usagePlanNames: new Set(plans.keys()),
    defaultScopes: config.registration.defaultScopes,
    contractApproval: config.registration.contractApproval,
    contractCacheTtlMs: config.contractCacheTtlSeconds * 1000,
    contractCacheMaxEntries: config.contractCacheMaxEntries,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  const adminApi =
    adminToken === undefined
      ? undefined
      : createPartnersAdminApi({
          service,
          adminToken,
          maxBodyBytes: config.admin.maxBodyBytes,
          ...(options.onAdminError === undefined ? {} : { onError: options.onAdminError }),
        })
  let usage: ReturnType<typeof openUsageLimiter>
  try {
    usage = openUsageLimiter(options.stores?.redis, {
      file: options.file,
      env,
      maxKeys: config.limiterMaxKeys,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.onStoreEvent === undefined ? {} : { onStoreEvent: options.onStoreEvent }),
    })
  } catch (error) {
    void closeStore()
    throw error
  }
  const close = async () => {
    await usage.close()
    await closeStore()
  }
  const probe = async (): Promise<readonly string[]> => {
    const storeProblem = async (): Promise<string | undefined> => {
      if (store.ping === undefined) return undefined
      try {
        await store.ping()
        return undefined
      } catch {
        return 'postgres'
      }
    }
    const problems = await Promise.all([usage.probe(), storeProblem()])
    return problems.filter((p): p is string => p !== undefined)
  }
  return { service, store, plans, limiter: usage.limiter, adminApi, contractCache, probe, close }
}
