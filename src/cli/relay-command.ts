import { dirname, isAbsolute, join } from 'node:path'
import { parseArgs } from 'node:util'
import { LocalLambdaInvoker } from '../aws/local-lambda-invoker.ts'
import { RoutingLambdaInvoker } from '../aws/routing-lambda-invoker.ts'
import type { GatewayFile } from '../config/gateway-file-schema.ts'
import { readGatewayFile } from '../config/read-gateway-file.ts'
import { resolveSecret } from '../config/secret-ref.ts'
import { loadSourceDocument, type SourceDocument } from '../config/source-document.ts'
import { createLogger } from '../observability/logger.ts'
import type { Relay, RelayDeps } from '../relay/relay.ts'
import type { routeBodyOf } from '../relay/relay-event.ts'
import { planRelay, type RelayPlan } from '../relay/relay-plan.ts'
import type { DeadLetter, RelayStore } from '../relay/relay-store.ts'
import { formatDeadLetters, formatStatus } from '../relay/relay-text.ts'
import { SqliteRelayStore } from '../relay/sqlite-relay-store.ts'
import { migratePostgres } from '../store/postgres-migrations.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export const RELAY_USAGE = `forcegate relay --config <forcegate.yaml> [--functions <dir>]…
  Subscribes to the org events the file's subscriptions name and delivers each to its target
  (relay.gatewayUrl for route targets); runs until SIGINT/SIGTERM.
forcegate relay status --config <file> [--json]
  Per subscription: state, checkpoint (last replay id), lag, delivered/retried/dead-lettered.
forcegate relay dlq list [--subscription <name>] | show <id> | retry <id> | drop <id>
                --config <file> [--json]
  The dead-letter store: events every attempt failed for. retry delivers one again (once).
`

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        functions: { type: 'string', multiple: true },
        subscription: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

interface Loaded {
  readonly doc: SourceDocument
  readonly config: GatewayFile
}

async function load(configFile: string | undefined): Promise<Loaded> {
  if (configFile === undefined) throw new UsageError('relay needs --config <forcegate.yaml>')
  const doc = await loadSourceDocument(configFile)
  return { doc, config: readGatewayFile(doc) }
}

function storePathOf({ doc, config }: Loaded): string {
  const path = config.relay.store
  return isAbsolute(path) ? path : join(dirname(doc.file), path)
}

/**
 * The relay's state: in PostgreSQL with `stores.postgres` (shared by every instance, which take
 * turns on each subscription), else the `relay.store` SQLite file.
 */
async function openRelayStore(loaded: Loaded, onError?: (error: Error) => void): Promise<RelayStore> {
  const postgres = loaded.config.stores.postgres
  if (postgres === undefined) return new SqliteRelayStore(storePathOf(loaded))
  const { PostgresRelayStore } = await import('../relay/postgres-relay-store.ts')
  return PostgresRelayStore.open({
    url: resolveSecret(postgres.url, loaded.doc.file, '/stores/postgres/url'),
    migrate: migratePostgres,
    queryTimeoutMs: postgres.queryTimeoutMs,
    maxConnections: postgres.maxConnections,
    ...(onError === undefined ? {} : { onError }),
  })
}

/** The relay's invoker with the Lambda targets' modules loaded (folders as `serve` finds them). */
async function lambdaInvoker(plan: RelayPlan, loaded: Loaded, extraFolders: readonly string[]) {
  const invoker = new RoutingLambdaInvoker(new LocalLambdaInvoker(), loaded.config.lambda)
  const folders = [...extraFolders, ...loaded.config.functions.map((f) => join(dirname(loaded.doc.file), f))]
  if (folders.length === 0) folders.push(join(dirname(loaded.doc.file), 'functions'))
  for (const sub of plan.subscriptions)
    if (sub.target.kind === 'lambda') await invoker.load(sub.target.fn, folders, loaded.doc.file)
  return invoker
}

export interface OpenedRelay {
  readonly relay: Relay
  close(): Promise<void>
}

/**
 * Starts the relay for a configuration file when it has subscriptions (undefined otherwise):
 * `forcegate serve` calls it with its own listener's URL for route targets.
 */
export async function openRelay(options: {
  readonly configFile: string | undefined
  readonly functionsFolders?: readonly string[]
  readonly gatewayUrl?: string
  /** Applied to the validated file before planning (npm start points it at its dev org). */
  readonly configPatch?: (config: GatewayFile) => void
}): Promise<OpenedRelay | undefined> {
  if (options.configFile === undefined) return undefined
  const loaded = await load(options.configFile)
  options.configPatch?.(loaded.config)
  if (loaded.config.subscriptions.length === 0) return undefined
  // The relay's gRPC and Pub/Sub modules load only when there are subscriptions.
  const { startRelay } = await import('../relay/relay.ts')
  const plan = planRelay(loaded.config, loaded.doc.file, (p) => loaded.doc.lineOf(p))
  const invoker = await lambdaInvoker(plan, loaded, options.functionsFolders ?? [])
  const gatewayUrl = options.gatewayUrl ?? plan.gatewayUrl
  const log = createLogger(loaded.config.log.level)
  let store: RelayStore
  try {
    store = await openRelayStore(loaded, (error) =>
      log.warn({ err: error.message }, 'relay store (PostgreSQL): connection lost'),
    )
  } catch (err) {
    invoker.close()
    throw err
  }
  const deps: RelayDeps = {
    log,
    invoker,
    store,
    aws: { accountId: loaded.config.api.accountId, region: loaded.config.api.region },
    file: loaded.doc.file,
    ...(gatewayUrl === undefined ? {} : { gatewayUrl }),
  }
  let relay: Relay
  try {
    relay = startRelay(plan, deps)
  } catch (err) {
    await store.close()
    invoker.close()
    throw err
  }
  return {
    relay,
    async close() {
      await relay.close()
      invoker.close()
    },
  }
}

/** `forcegate relay …`: the relay alone, its status, and the dead-letter store. */
export async function relayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv)
  const [verb, sub, id] = positionals
  if (verb === undefined) return runRelay(values.config, values.functions ?? [], io)
  const loaded = await load(values.config)
  if (verb === 'status') {
    const store = await openRelayStore(loaded)
    try {
      const statuses = await store.statuses()
      io.out(values.json ? `${JSON.stringify(statuses, null, 2)}\n` : formatStatus(statuses, Date.now()))
    } finally {
      await store.close()
    }
    return 0
  }
  if (verb !== 'dlq') throw new UsageError(`unknown relay verb '${verb}'\n${RELAY_USAGE}`)
  const store = await openRelayStore(loaded)
  try {
    if (sub === 'list') {
      const letters = await store.deadLetters(values.subscription)
      io.out(values.json ? `${JSON.stringify(letters, null, 2)}\n` : formatDeadLetters(letters))
      return 0
    }
    const n = Number(id)
    if (!['show', 'retry', 'drop'].includes(sub ?? ''))
      throw new UsageError(`relay dlq expects list, show, retry or drop\n${RELAY_USAGE}`)
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`relay dlq ${sub} expects a dead letter id`)
    const letter = await store.deadLetter(n)
    if (letter === undefined) {
      io.err(`forcegate: no dead letter ${n}\n`)
      return 1
    }
    if (sub === 'show') {
      io.out(`${JSON.stringify(letter, null, 2)}\n`)
      return 0
    }
    if (sub === 'drop') {
      await store.dropDeadLetter(n)
      io.out(`dropped dead letter ${n} (${letter.eventUuid})\n`)
      return 0
    }
    return await retryDeadLetter(loaded, store, letter, values.functions ?? [], io)
  } finally {
    await store.close()
  }
}

async function retryDeadLetter(
  loaded: Loaded,
  store: RelayStore,
  letter: DeadLetter,
  folders: readonly string[],
  io: CliIo,
): Promise<number> {
  const plan = planRelay(loaded.config, loaded.doc.file, (p) => loaded.doc.lineOf(p))
  const sub = plan.subscriptions.find((s) => s.config.name === letter.subscription)
  if (sub === undefined) {
    io.err(`forcegate: subscription ${letter.subscription} is no longer configured\n`)
    return 1
  }
  const invoker = await lambdaInvoker({ ...plan, subscriptions: [sub] }, loaded, folders)
  const { targetFor } = await import('../relay/relay.ts')
  try {
    const target = targetFor(sub, {
      log: createLogger('silent'),
      invoker,
      aws: { accountId: loaded.config.api.accountId, region: loaded.config.api.region },
      file: loaded.doc.file,
      ...(plan.gatewayUrl === undefined ? {} : { gatewayUrl: plan.gatewayUrl }),
    })
    const e = letter.event as ReturnType<typeof routeBodyOf> & { orgId?: string }
    if (await store.wasDelivered(letter.subscription, letter.eventUuid)) {
      await store.dropDeadLetter(letter.id)
      io.out(`dead letter ${letter.id} (${letter.eventUuid}) was delivered since; removed\n`)
      return 0
    }
    try {
      await target.deliver({
        subscription: letter.subscription,
        topic: String(e.topic),
        orgId: e.orgId ?? '',
        eventUuid: letter.eventUuid,
        replayId: Buffer.from(letter.replayId, 'hex'),
        schemaId: String(e.schema),
        payload: e.payload as Record<string, unknown>,
      })
    } catch (err) {
      io.err(`forcegate: dead letter ${letter.id} failed again: ${(err as Error).message}\n`)
      return 1
    }
    await store.resolveDeadLetter(letter.id, letter.subscription, letter.eventUuid)
    io.out(`delivered dead letter ${letter.id} (${letter.eventUuid}) to ${target.description}\n`)
    return 0
  } finally {
    invoker.close()
  }
}

async function runRelay(
  configFile: string | undefined,
  folders: readonly string[],
  io: CliIo,
): Promise<number> {
  const opened = await openRelay({ configFile, functionsFolders: folders })
  if (opened === undefined) {
    io.err('forcegate: the configuration has no subscriptions\n')
    return 1
  }
  io.err(`forcegate relay: relaying ${opened.relay.subscriptions.join(', ')}\n`)
  let stop = (): void => {}
  const stopped = new Promise<'signal'>((resolve) => (stop = () => resolve('signal')))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  try {
    const outcome = await Promise.race([stopped, opened.relay.ended])
    await opened.close()
    return outcome === true ? 1 : 0
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
