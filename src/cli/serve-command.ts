import { parseArgs } from 'node:util'
import { startGateway } from '../gateway.ts'
import { API_OPTIONS } from './api-options.ts'
import { formatRouteTable } from './format-route-table.ts'
import { guardProcess } from './guard-process.ts'
import { type OpenedRelay, openRelay } from './relay-command.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export function parseServeArgs(argv: readonly string[]) {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values } = parsed
  if (values.api === undefined) throw new UsageError('serve needs --api <openapi file>')
  let port: number | undefined
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port expects an integer from 0 to 65535, found '${values.port}'`)
  }
  if (values.stage !== undefined && !/^[A-Za-z0-9_$-]{1,128}$/.test(values.stage)) {
    throw new UsageError(`--stage expects letters, digits, _, - or $, found '${values.stage}'`)
  }
  return {
    apiFile: values.api,
    configFile: values.config,
    functionsFolders: values.functions,
    port,
    host: values.host,
    stage: values.stage,
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...API_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
    },
  })
}

/** `forcegate serve`: compile, listen, print the route table, run until SIGINT/SIGTERM. */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseServeArgs(argv)
  const gateway = await startGateway({
    apiFile: args.apiFile,
    ...(args.configFile === undefined ? {} : { configFile: args.configFile }),
    ...(args.functionsFolders === undefined ? {} : { functionsFolders: args.functionsFolders }),
    ...(args.port === undefined ? {} : { port: args.port }),
    ...(args.host === undefined ? {} : { host: args.host }),
    ...(args.stage === undefined ? {} : { stage: args.stage }),
  })
  // Subscriptions in forcegate.yaml: the relay runs beside the listener, its route targets
  // dispatched to this listener so they cross the whole pipeline.
  let relay: OpenedRelay | undefined
  try {
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
  io.err(formatRouteTable(gateway.table, gateway.url))
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
