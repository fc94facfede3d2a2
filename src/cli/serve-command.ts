import cluster from 'node:cluster'
import { parseArgs } from 'node:util'
import { startGateway } from '../gateway.ts'
import { API_OPTIONS } from './api-options.ts'
import { formatRouteTable } from './format-route-table.ts'
import { guardProcess } from './guard-process.ts'
import { listenFailure } from './listen-failure.ts'
import { type OpenedRelay, openRelay } from './relay-command.ts'
import { type CliIo, UsageError } from './run-cli.ts'
import { leaveCluster, parseWorkers, runWorkers, workerSlot } from './workers.ts'

export const SERVE_USAGE = `forcegate serve --api <openapi.yaml|json> [options]
forcegate serve --serverless <serverless.yml> | --sam <template.yaml> [options]
  --api <file>         OpenAPI 3.0/3.1 document with x-amazon-apigateway-* extensions
  --serverless <file>  Serverless Framework service: its functions' http or httpApi events
  --sam <file>         SAM template: its functions' Api or HttpApi events, or the API's definition
  --functions <dir>    Folder of Lambda handler modules NAME.{ts,mjs,js,cjs}; repeatable
                       (default: the functions folder beside the API file)
  --config <file>      forcegate.yaml: listener, limits, stage variables, logging
  --port <n>           Port to listen on (default FORCEGATE_PORT, else server.port, else 8080;
                       0 picks a free port)
  --host <addr>        Address to listen on (default 127.0.0.1)
  --stage <name>       Stage name shown in events (REST default "dev", HTTP API "$default")
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
  await stopped
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

/** The gateway drains for up to 10 s; the rest is for the relay and the stores. */
const STOP_DEADLINE_MS = 20_000
