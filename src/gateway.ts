import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { dirname, isAbsolute, join } from 'node:path'
import type { Tracer } from '@opentelemetry/api'
import { installHandlerConsole } from './aws/handler-console.ts'
import { LocalLambdaInvoker } from './aws/local-lambda-invoker.ts'
import { RoutingLambdaInvoker } from './aws/routing-lambda-invoker.ts'
import type { GatewayFile } from './config/gateway-file-schema.ts'
import { metricsSettings } from './config/metrics-schema.ts'
import { missingSecrets } from './config/missing-secrets.ts'
import { readConfiguration } from './config/read-configuration.ts'
import { salesforceWriteOrgs } from './config/resolve-integration-user.ts'
import { resolveSalesforceOrgs } from './config/resolve-salesforce-orgs.ts'
import type { ApiSource } from './config/serverless/function-source.ts'
import { type ApiFormat, readApiSource } from './config/serverless/read-api-source.ts'
import { loadSourceDocument } from './config/source-document.ts'
import { ConfigError, ConfigErrors } from './errors/config-error.ts'
import { createHttpServer } from './http/server.ts'
import { SalesforceConnections } from './integrations/salesforce/salesforce-connections.ts'
import type { GatewayMetrics } from './observability/gateway-metrics.ts'
import { createLogger, type Logger } from './observability/logger.ts'
import { listenForMetrics, type MetricsListener } from './observability/metrics-listener.ts'
import { checkedMetricsOptions, type MetricsOptions } from './observability/metrics-options.ts'
import { observedHandler, type RequestHandler } from './observability/observed-handler.ts'
import type { PartnersRuntime } from './partners/open-partners.ts'
import { ADMIN_BASE_PATH } from './partners/partners-config.ts'
import { createRouteAuthCompiler } from './pipeline/compile-route-auth.ts'
import { compileRoutes } from './pipeline/compile-routes.ts'
import {
  type GatewayRoute,
  healthRoutes,
  metricsRoute,
  type OwnedHandler,
  ownedPrefix,
} from './pipeline/gateway-routes.ts'
import { openPortal } from './pipeline/open-portal.ts'
import { runPipeline } from './pipeline/run.ts'
import type { RouteTable } from './pipeline/types.ts'
import { servingGenerations } from './watch/serving-generations.ts'

export interface GatewayOptions {
  readonly apiFile: string
  /** What the API file is (default an OpenAPI document). */
  readonly apiFormat?: ApiFormat
  readonly configFile?: string
  readonly functionsFolders?: readonly string[]
  readonly port?: number
  readonly host?: string
  readonly stage?: string
  readonly logger?: Logger
  readonly clock?: () => number
  /**
   * Adjusts the configuration (e.g. the dev org's actual URL) before it is validated again with
   * the command-line overrides: what is compiled is always what was validated.
   */
  readonly configPatch?: (config: GatewayFile) => void
  /** `/_forcegate/metrics`: off unless given here or in forcegate.yaml (`metrics:`); these win. */
  readonly metrics?: MetricsOptions
  /** OpenTelemetry spans per request and stage: off unless given a tracer. */
  readonly tracing?: { readonly tracer: Tracer }
  /** The metrics a reload keeps counting into (watch mode), instead of new ones: made once, when on. */
  readonly sharedMetrics?: (create: () => GatewayMetrics) => GatewayMetrics
  /** Watch mode: `replace` swaps the route table while requests flow. */
  readonly reloadable?: boolean
}

export interface PreparedGateway {
  readonly table: RouteTable
  readonly config: GatewayFile
  readonly log: Logger
  /** Present when forcegate.yaml has a partners section. */
  readonly partners: PartnersRuntime | undefined
  /** Present when metrics are on. */
  readonly metrics: GatewayMetrics | undefined
  /** How they are served: the command line's settings over forcegate.yaml's. */
  readonly metricsOptions: MetricsOptions | undefined
  /** Marks the gateway as draining: `/_forcegate/ready` answers 503 from then on. */
  drain(): void
}

export interface Gateway {
  readonly url: string
  readonly table: RouteTable
  readonly config: GatewayFile
  readonly partners: PartnersRuntime | undefined
  /** The separate metrics listener's URL, when metrics have their own port. */
  readonly metricsUrl: string | undefined
  /**
   * Present when reloadable: reads and compiles everything again and serves it from then on;
   * requests in flight finish with the table they started with, closed after the last of them.
   * Throws, leaving the current table serving, when the definition no longer compiles.
   */
  readonly reload?: () => Promise<void>
  /** Drains requests in flight (up to `drainMs`, default 10 s), then releases everything. */
  close(drainMs?: number): Promise<void>
}

/** Loads and compiles everything first, then listens: a gateway that starts is fully configured. */
export async function prepareGateway(options: GatewayOptions): Promise<PreparedGateway> {
  const configDoc =
    options.configFile === undefined ? undefined : await loadSourceDocument(options.configFile)
  // A serverless.yml or SAM template names its stage: read first, so --stage still wins.
  const early =
    options.apiFormat === undefined || options.apiFormat === 'openapi' ? undefined : await readSource(options)
  const config = readConfiguration(
    configDoc,
    early?.stage === undefined || options.stage !== undefined ? options : { ...options, stage: early.stage },
  )
  // Every missing secret at once, before anything is opened: one start names them all.
  const missing = missingSecrets(config, configDoc?.file ?? '(defaults)', (p) => configDoc?.lineOf(p))
  if (missing.length > 0) throw missing.length === 1 ? missing[0] : new ConfigErrors(missing)
  const log = options.logger ?? createLogger(config.log.level)
  const metricsOptions = metricsSettings(
    config.metrics,
    checkedMetricsOptions(options.metrics),
    configDoc?.file ?? '(defaults)',
    (p) => configDoc?.lineOf(p),
  )
  // Metrics count from the first request, including the gateway's own paths.
  // prom-client and the metrics' modules load only when metrics are on.
  const create =
    metricsOptions === undefined
      ? undefined
      : (await import('./observability/gateway-metrics.ts')).createGatewayMetrics
  const metrics = create === undefined ? undefined : (options.sharedMetrics?.(create) ?? create())
  const ownsMetrics = options.sharedMetrics === undefined
  const source = early ?? (await readSource(options))
  const { api, doc: apiDoc } = source
  for (const notice of source.notices) log.warn(`not honoured: ${notice.message}`)
  const clock = options.clock ?? Date.now
  const local = new LocalLambdaInvoker(clock)
  const invoker = new RoutingLambdaInvoker(local, config.lambda)
  const folders = [
    ...(options.functionsFolders ?? []),
    ...config.functions.map((f) => (configDoc === undefined ? f : join(dirname(configDoc.file), f))),
  ]
  if (folders.length === 0) folders.push(join(dirname(options.apiFile), 'functions'))
  const configFile = configDoc?.file ?? '(defaults)'
  const partners =
    config.partners === undefined
      ? undefined
      : // Loaded only when configured: the Redis client behind its usage store is some 700
        // modules, and every major collection marks everything loaded.
        await (await import('./partners/open-partners.ts')).openSharedPartners(
          {
            ...config.partners,
            store: {
              ...config.partners.store,
              path: besideConfig(config.partners.store.path, configDoc?.file),
            },
          },
          {
            file: configFile,
            pointer: '/partners',
            clock,
            onAdminError: (err) => log.error({ err }, 'partners admin API failed'),
            stores: config.stores,
            onStoreEvent: ({ mode, state, error }) =>
              state === 'failing'
                ? log.error(
                    { err: error, onStoreError: mode },
                    'usage store (Redis) failing: answering per onStoreError',
                  )
                : log.info({ onStoreError: mode }, 'usage store (Redis) answering again'),
            onPartnerStoreEvent: (event) =>
              event.kind === 'listening'
                ? log.info('partner store (PostgreSQL): following changes')
                : log.warn({ error: event.error }, `partner store (PostgreSQL): ${event.kind}`),
          },
        )
  const salesforceOrgs = resolveSalesforceOrgs(config.salesforce.orgs, configFile)
  const salesforce = new SalesforceConnections(salesforceWriteOrgs(config.salesforce.orgs, configFile))
  const portal = await openPortal(
    config,
    salesforceOrgs,
    partners,
    configFile,
    (path) => besideConfig(path, configDoc?.file),
    clock,
    (entry, message) => log.info(entry, message),
  )
  // The gateway's own paths go through the same router and stages as the API's routes.
  let draining = false
  let portalHandler: OwnedHandler | undefined
  const gatewayRoutes: GatewayRoute[] = healthRoutes(
    () => draining,
    async () => [
      ...new Set([
        ...(partners === undefined ? [] : await partners.probe()),
        ...((await portal?.probe()) ?? []),
      ]),
    ],
  )
  const adminApi = partners?.adminApi
  if (adminApi !== undefined)
    gatewayRoutes.push(
      ...ownedPrefix('partners admin API', ADMIN_BASE_PATH, () => adminApi, {
        maxBytes: adminApi.maxBodyBytes,
      }),
    )
  if (portal !== undefined) gatewayRoutes.push(...ownedPrefix('portal', '/portal', () => portalHandler!))
  if (metrics !== undefined && metricsOptions?.token !== undefined)
    gatewayRoutes.push(metricsRoute(metrics, metricsOptions.token))
  const loadFunction = (name: string, arn: string, origin: string) =>
    invoker.load({ name, arn }, folders, origin)
  // Handler console output becomes log lines from the first module loaded until close.
  const restoreConsole = installHandlerConsole(log)
  let table: RouteTable
  try {
    await loadFunctionSources(source, local, invoker)
    table = await compileRoutes(api, config, {
      invoker,
      loadFunction,
      gatewayRoutes,
      salesforce,
      compileAuth: createRouteAuthCompiler({
        invoker,
        clock,
        loadFunction,
        lineOf: (p) => apiDoc.lineOf(p),
        salesforceOrgs,
        sessionAuth: portal === undefined ? undefined : () => portal.sessionAuth(),
        partners:
          partners === undefined
            ? undefined
            : {
                contractFor: (clientId, api) => partners.service.contractFor(clientId, api),
                plans: partners.plans,
                limiter: partners.limiter,
              },
      }),
    })
  } catch (err) {
    // A start that fails releases what it opened (stores, pools) before reporting.
    restoreConsole()
    if (ownsMetrics) metrics?.close()
    await invoker.close()
    await partners?.close()
    await portal?.close()
    await salesforce.close()
    throw err
  }
  // The route table owns everything that holds connections, so one close() releases them all.
  const closeTable = table.close
  const owned: RouteTable = Object.freeze({
    ...table,
    async close() {
      await closeTable()
      await salesforce.close()
      await invoker.close()
      await partners?.close()
      await portal?.close()
      if (ownsMetrics) metrics?.close()
      restoreConsole()
    },
  })
  if (portal !== undefined) portalHandler = portal.handler(owned)
  return {
    table: owned,
    config,
    log,
    partners,
    metrics,
    metricsOptions,
    drain: () => {
      draining = true
    },
  }
}

function readSource(options: GatewayOptions): Promise<ApiSource> {
  return readApiSource(options.apiFile, options.apiFormat ?? 'openapi', {
    readText: (file) => readFile(file, 'utf8'),
    loadDocument: loadSourceDocument,
    env: process.env,
    stage: options.stage,
  })
}

/**
 * Functions a serverless.yml or SAM template names by file and export, with the environment
 * they are deployed with (set before import: modules read it at load). Every module that
 * fails is reported in one run.
 */
async function loadFunctionSources(
  source: ApiSource,
  local: LocalLambdaInvoker,
  invoker: RoutingLambdaInvoker,
): Promise<void> {
  // The definition's own problems come with them: compiling stops at modules that did not load.
  const failures: ConfigError[] = []
  for (const fn of source.functions) {
    if (invoker.isRemote(fn)) continue
    for (const [key, value] of fn.environment) process.env[key] = value
    const origin = `${source.doc.file}:${source.doc.lineOf(fn.pointer) ?? 1}`
    try {
      await local.loadExport(fn, fn.modulePath, fn.exportName, origin)
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      failures.push(err)
    }
  }
  if (failures.length === 0) return
  const all = [...source.api.problems, ...failures]
  throw all.length === 1 ? all[0] : new ConfigErrors(all)
}

/** Relative paths in forcegate.yaml are relative to the file, like the functions folders. */
function besideConfig(path: string, configFile: string | undefined): string {
  if (path === ':memory:' || isAbsolute(path) || configFile === undefined) return path
  return join(dirname(configFile), path)
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  // Reloads keep counting into one set of metrics, made by the first generation that has them on.
  let shared: GatewayMetrics | undefined
  const settings =
    options.reloadable === true && options.sharedMetrics === undefined
      ? { ...options, sharedMetrics: (create: () => GatewayMetrics) => (shared ??= create()) }
      : options
  const prepared = await prepareGateway(settings)
  const { config, log } = prepared
  const clock = options.clock ?? Date.now
  const serving = (p: PreparedGateway) => ({
    prepared: p,
    run: { table: p.table, log: p.log, accessLog: p.config.log.access, clock, observe: p.metrics?.observe },
  })
  const first = serving(prepared)
  const generations =
    options.reloadable === true ? servingGenerations(first, (g) => g.prepared.table.close()) : undefined
  const pipeline: RequestHandler =
    generations === undefined
      ? (req, res) => runPipeline(req, res, first.run)
      : (req, res) => generations.serve(res, (g) => runPipeline(req, res, g.run))
  const current = () => generations?.current().prepared ?? prepared
  const release = async () => {
    await generations?.retired()
    await current().table.close()
    shared?.close()
  }
  const serve = observedHandler(options.tracing?.tracer, pipeline)
  const server = createHttpServer(config.server, serve.handler, (err) =>
    log.error({ err }, 'request handler failed'),
  )
  let metricsListener: MetricsListener | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.server.port, config.server.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    metricsListener = await listenForMetrics(prepared.metrics, prepared.metricsOptions, config.server.host)
  } catch (err) {
    server.close()
    serve.close()
    await release()
    throw err
  }
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    get table() {
      return current().table
    },
    config,
    partners: prepared.partners,
    metricsUrl: metricsListener?.url,
    ...(generations === undefined
      ? {}
      : {
          async reload() {
            // A definition that does not compile throws here, before anything is swapped.
            generations.replace(serving(await prepareGateway(settings)))
          },
        }),
    async close(drainMs = 10_000) {
      // Stop accepting, let requests in flight finish, then cut whatever is left.
      current().drain()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const deadline = setTimeout(() => server.closeAllConnections(), drainMs)
      await closed
      clearTimeout(deadline)
      await metricsListener?.close()
      serve.close()
      await release()
    },
  }
}
