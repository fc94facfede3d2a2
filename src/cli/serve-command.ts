import cluster from 'node:cluster'
import { dirname, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { trace } from '@opentelemetry/api'
import { startGateway } from '../gateway.ts'
import { type Reloader, reloadOnChange } from '../watch/reload-on-change.ts'
import { API_OPTIONS } from './api-options.ts'
import { formatRouteTable } from './format-route-table.ts'
import { guardProcess } from './guard-process.ts'
import { listenFailure } from './listen-failure.ts'
import { type OpenedRelay, openRelay } from './relay-command.ts'
import { type CliIo, UsageError } from './run-cli.ts'
import { leaveCluster, parseWorkers, runWorkers, workerSlot } from './workers.ts'

export const SERVE_USAGE = `forcegate serve --api <openapi.yaml|json> [options]
forcegate serve --serverless <serverless.yml> | --sam <template.yaml> [options]
  --api <file>         OpenAPI 3.0/3.1 or Swagger 2.0 document with x-amazon-apigateway-* extensions
  --serverless <file>  Serverless Framework service: its functions' http or httpApi events
  --sam <file>         SAM template: its functions' Api or HttpApi events, or the API's definition
  --functions <dir>    Folder of Lambda handler modules NAME.{ts,mjs,js,cjs}; repeatable
                       (default: the functions folder beside the API file)
  --config <file>      forcegate.yaml: listener, limits, stage variables, logging
  --port <n>           Port to listen on (default FORCEGATE_PORT, else server.port, else 8080;
                       0 picks a free port)
  --host <addr>        Address to listen on (default 127.0.0.1)
  --stage <name>       Stage name shown in events (REST default "dev", HTTP API "$default")
  --watch              Reload changed handler modules, the API file and forcegate.yaml while
                       serving; requests in flight finish on the old version, and a definition
                       that no longer compiles keeps the last good one serving
  --metrics-port <n>   Serve /_forcegate/metrics (Prometheus) in the clear on this port; without
                       it, FORCEGATE_METRICS_TOKEN set serves them on the API port behind that
                       bearer token (forcegate.yaml: metrics: { token, port, public: true })
  --traces             OpenTelemetry spans per request through the globally registered tracer
                       provider (an SDK set up before forcegate starts); traceparent goes upstream
                       and into Lambda functions' context.clientContext.custom
  --workers <n|auto>   Run n processes sharing the listener (auto: one per core), each with its
                       own caches; a worker that dies is replaced; a stop drains them all
  --help               Show this help
`

export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values } = parsed
  if (values.help === true) return { help: true as const }
  const given = (['api', 'serverless', 'sam'] as const).filter((k) => values[k] !== undefined)
  if (given.length === 0)
    throw new UsageError(
      'serve needs --api <openapi file>, --serverless <serverless.yml> or --sam <template.yaml>',
    )
  if (given.length > 1)
    throw new UsageError(`serve takes one API file: --${given.join(' and --')} were given`)
  const apiFormat = given[0] === 'api' ? ('openapi' as const) : given[0]!
  let port: number | undefined
  const portText = values.port ?? env.FORCEGATE_PORT
  if (portText !== undefined) {
    const from = values.port === undefined ? 'FORCEGATE_PORT' : '--port'
    port = Number(portText)
    if (portText.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`${from} expects an integer from 0 to 65535, found '${portText}'`)
  }
  const metricsPort = values['metrics-port']
  const metricsPortNumber = Number(metricsPort)
  if (
    metricsPort !== undefined &&
    (metricsPort.trim() === '' ||
      !Number.isInteger(metricsPortNumber) ||
      metricsPortNumber < 0 ||
      metricsPortNumber > 65535)
  )
    throw new UsageError(`--metrics-port expects an integer from 0 to 65535, found '${metricsPort}'`)
  if (values.watch === true && values.workers !== undefined)
    throw new UsageError('--watch runs one process: it cannot be combined with --workers')
  const metricsToken = env.FORCEGATE_METRICS_TOKEN
  if (values.stage !== undefined && !/^[A-Za-z0-9_$-]{1,128}$/.test(values.stage)) {
    throw new UsageError(`--stage expects letters, digits, _, - or $, found '${values.stage}'`)
  }
  return {
    help: false as const,
    apiFile: (values.api ?? values.serverless ?? values.sam)!,
    apiFormat,
    configFile: values.config,
    functionsFolders: values.functions,
    port,
    host: values.host,
    stage: values.stage,
    workers: parseWorkers(values.workers),
    watch: values.watch === true,
    traces: values.traces === true,
    metrics:
      metricsPort !== undefined
        ? { port: metricsPortNumber }
        : metricsToken === undefined || metricsToken === ''
          ? undefined
          : { token: metricsToken },
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...API_OPTIONS,
      serverless: { type: 'string' },
      sam: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      workers: { type: 'string' },
      watch: { type: 'boolean' },
      'metrics-port': { type: 'string' },
      traces: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

/** `forcegate serve`: compile, listen, print the route table, run until SIGINT/SIGTERM. */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseServeArgs(argv)
  if (args.help) {
    io.out(SERVE_USAGE)
    return 0
  }
  if (args.workers !== undefined && cluster.isPrimary) return runWorkers({ count: args.workers, err: io.err })
  try {
    return await serveGateway(args, io)
  } finally {
    leaveCluster()
  }
}

type ServeArgs = Exclude<ReturnType<typeof parseServeArgs>, { help: true }>

async function serveGateway(args: ServeArgs, io: CliIo): Promise<number> {
  // Among workers, the first alone runs what must run once and prints the route table.
  const slot = workerSlot()
  const first = slot === undefined || slot === 1
  let gateway: Awaited<ReturnType<typeof startGateway>>
  try {
    gateway = await startGateway({
      apiFile: args.apiFile,
      apiFormat: args.apiFormat,
      ...(args.configFile === undefined ? {} : { configFile: args.configFile }),
      ...(args.functionsFolders === undefined ? {} : { functionsFolders: args.functionsFolders }),
      ...(args.port === undefined ? {} : { port: args.port }),
      ...(args.host === undefined ? {} : { host: args.host }),
      ...(args.stage === undefined ? {} : { stage: args.stage }),
      ...(args.metrics === undefined ? {} : { metrics: args.metrics }),
      ...(args.traces ? { tracing: { tracer: trace.getTracer('forcegate') } } : {}),
      reloadable: args.watch,
    })
  } catch (err) {
    const why = listenFailure(err, '--port or FORCEGATE_PORT')
    if (why === undefined) throw err
    io.err(`forcegate serve: ${why}\n`)
    return 1
  }
  // Subscriptions in forcegate.yaml: the relay runs beside the listener, its route targets
  // dispatched to this listener so they cross the whole pipeline.
  let relay: OpenedRelay | undefined
  try {
    if (first)
      relay = await openRelay({
        configFile: args.configFile,
        ...(args.functionsFolders === undefined ? {} : { functionsFolders: args.functionsFolders }),
        gatewayUrl: gateway.url,
      })
  } catch (err) {
    await gateway.close(0)
    throw err
  }
  guardProcess((kind, err) =>
    io.err(`forcegate: ${kind} outside any request (kept serving): ${String(err)}\n`),
  )
  // Listening before the route table says we are up, and never unlistening: the same signal can
  // come twice (Ctrl-C reaches the whole process group, a wrapper passes it on too), and the
  // second must neither cut the drain short nor kill the process on its way out.
  let stop = (): void => {}
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  if (first) io.err(formatRouteTable(gateway.table, gateway.url))
  if (gateway.metricsUrl !== undefined) io.err(`metrics: ${gateway.metricsUrl}\n`)
  const reloader = gateway.reload === undefined ? undefined : watchSources(args, gateway.reload, io)
  await stopped
  reloader?.close()
  // Signals are never unlistened, so a close that hangs would leave only SIGKILL: bound it.
  const deadline = setTimeout(() => {
    io.err('forcegate: still closing 20 s after the stop signal; exiting\n')
    process.exit(1)
  }, STOP_DEADLINE_MS)
  deadline.unref()
  try {
    // The relay first: a delivery in flight finishes through the still-open listener.
    await relay?.close()
    await gateway.close()
  } finally {
    clearTimeout(deadline)
  }
  return 0
}

/** --watch: the API file's folder (handlers beside it), the functions folders and the config's folder. */
function watchSources(args: ServeArgs, reload: () => Promise<void>, io: CliIo): Reloader {
  const folders = [dirname(resolve(args.apiFile)), ...(args.functionsFolders ?? []).map((f) => resolve(f))]
  const paths = [
    ...new Set([...folders, ...(args.configFile === undefined ? [] : [dirname(resolve(args.configFile))])]),
  ]
  io.err(`watching ${paths.map((p) => relative(process.cwd(), p) || '.').join(', ')} for changes\n`)
  return reloadOnChange({
    paths,
    moduleFolders: folders,
    reload,
    onReloaded: (changed) =>
      io.err(`reloaded after changes to ${changed.map((p) => relative(process.cwd(), p)).join(', ')}\n`),
    onRefused: (err) =>
      io.err(
        `reload refused, still serving the last good version: ${err instanceof Error ? err.message : String(err)}\n`,
      ),
  })
}

/** The gateway drains for up to 10 s; the rest is for the relay and the stores. */
const STOP_DEADLINE_MS = 20_000
