import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { readGatewayFile } from '../config/read-gateway-file.ts'
import type { SalesforceOrgConfig } from '../config/salesforce-schema.ts'
import { resolveSecret, type SecretRef } from '../config/secret-ref.ts'
import { loadSourceDocument } from '../config/source-document.ts'
import { ArchiveError } from '../flows/archive/archive-error.ts'
import {
  ArchiveRunError,
  type ArchiveSummary,
  archiveOpportunities,
} from '../flows/archive/archive-opportunities.ts'
import { formatBytes, progressView } from '../flows/archive/archive-progress.ts'
import { type ArchiveTarget, describeTarget, parseArchiveTarget } from '../flows/archive/archive-target.ts'
import { FolderStore } from '../flows/archive/folder-store.ts'
import type { ObjectStore } from '../flows/archive/object-store.ts'
import { OrgReader } from '../flows/archive/org-reader.ts'
import { verifyArchive } from '../flows/archive/verify-archive.ts'
import { OrgSession, OrgTokenError } from '../relay/org-session.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export const ARCHIVE_USAGE = `forcegate archive opportunities --org <name> --to <s3://bucket/prefix | folder>
                [--since <date>] [--where <soql condition>] [--s3-endpoint <url>]
                [--config <forcegate.yaml>] [--concurrency <n>]
  Each Opportunity with its line items, contact roles and files' metadata as JSON, each linked
  file's bytes, and manifest.json with SHA-256 checksums. Runs as the org's integration user
  (the introspection app of salesforce.orgs.<name>). A second run writes only what changed;
  an interrupted run resumes. AWS credentials and region come from the environment.
forcegate archive verify --to <s3://bucket/prefix | folder> [--s3-endpoint <url>]
  Re-reads the manifest and checks every object's SHA-256.
`

const API_VERSION = '62.0'

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        org: { type: 'string' },
        to: { type: 'string' },
        since: { type: 'string' },
        where: { type: 'string' },
        's3-endpoint': { type: 'string' },
        config: { type: 'string', default: 'forcegate.yaml' },
        concurrency: { type: 'string', default: '4' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

async function storeFor(target: ArchiveTarget, endpoint: string | undefined): Promise<ObjectStore> {
  if (target.kind === 'folder') {
    if (endpoint !== undefined) throw new UsageError('--s3-endpoint goes with an s3:// target')
    return new FolderStore(target.dir)
  }
  if (endpoint !== undefined && !/^https?:\/\/[^/]+\/?$/.test(endpoint))
    throw new UsageError(`--s3-endpoint takes a URL such as http://127.0.0.1:9000, not ${endpoint}`)
  // The S3 client loads only for an s3:// target.
  const { S3Store } = await import('../flows/archive/s3-store.ts')
  return new S3Store({
    bucket: target.bucket,
    prefix: target.prefix,
    ...(endpoint === undefined ? {} : { endpoint: endpoint.replace(/\/$/, '') }),
  })
}

/** Client credentials of the org's integration user, or else of its introspection app. */
function credentials(
  entry: SalesforceOrgConfig,
  file: string,
  org: string,
): { clientId: string; clientSecret: string } {
  const user = (entry as { integrationUser?: { grant: string; clientId: string; clientSecret?: SecretRef } })
    .integrationUser
  if (user !== undefined) {
    const pointer = `/salesforce/orgs/${org}/integrationUser`
    if (user.grant !== 'client_credentials' || user.clientSecret === undefined)
      throw new UsageError(`archive reads as the integration user by client credentials; ${pointer} has none`)
    return {
      clientId: user.clientId,
      clientSecret: resolveSecret(user.clientSecret, file, `${pointer}/clientSecret`),
    }
  }
  const pointer = `/salesforce/orgs/${org}/introspection/clientSecret`
  return {
    clientId: entry.introspection.clientId,
    clientSecret: resolveSecret(entry.introspection.clientSecret, file, pointer),
  }
}

async function orgSession(
  configFile: string,
  org: string,
): Promise<{ session: OrgSession; timeoutMs: number }> {
  const doc = await loadSourceDocument(configFile)
  const config = readGatewayFile(doc)
  const entry = config.salesforce.orgs[org]
  if (entry === undefined) throw new UsageError(`${configFile} has no org '${org}' under salesforce.orgs`)
  const { clientId, clientSecret } = credentials(entry, doc.file, org)
  // The client credentials grant in both spellings the session has taken.
  const options = {
    issuer: entry.issuer.replace(/\/+$/, ''),
    clientId,
    clientSecret,
    grant: { kind: 'client_credentials', clientSecret } as const,
    ...(entry.orgId === undefined ? {} : { orgId: entry.orgId }),
    timeoutMs: entry.timeoutMs,
  }
  return { session: new OrgSession(options), timeoutMs: Math.max(entry.timeoutMs, 30_000) }
}

function summaryLine(s: ArchiveSummary, where: string): string {
  return (
    `archived ${s.archived} of ${s.selected} opportunities (${s.unchanged} unchanged): ` +
    `${s.objectsUploaded} objects, ${formatBytes(s.bytesUploaded)} uploaded to ${where}\n`
  )
}

async function opportunities(values: ReturnType<typeof parse>['values'], io: CliIo): Promise<number> {
  if (values.org === undefined) throw new UsageError('archive opportunities needs --org <name>')
  if (values.to === undefined)
    throw new UsageError('archive opportunities needs --to <s3://bucket/prefix | folder>')
  const concurrency = Number(values.concurrency)
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new UsageError('--concurrency takes a whole number from 1 to 32')
  const target = parseArchiveTarget(values.to, process.cwd())
  const store = await storeFor(target, values['s3-endpoint'])
  const { session, timeoutMs } = await orgSession(values.config, values.org)
  const reader = new OrgReader({
    auth: async () => {
      try {
        return await session.auth()
      } catch (err) {
        if (err instanceof OrgTokenError)
          throw new ArchiveError('SALESFORCE_ERROR', `no token for the org '${values.org}': ${err.message}`)
        throw err
      }
    },
    invalidate: () => session.invalidate(),
    apiVersion: API_VERSION,
    timeoutMs,
    attempts: 5,
    backoffMs: 250,
    sleep: (ms) => sleep(ms),
    onRetry: (why, waitMs) => io.err(`${why}; retrying in ${waitMs} ms\n`),
  })
  const tty = process.stdout.isTTY === true
  const view = progressView(tty)
  const where = describeTarget(target)
  // Ctrl-C (or SIGTERM) stops starting deals and abandons the transfers in flight, aborting
  // multipart uploads; a second one exits at once.
  const interrupt = new AbortController()
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130)
    interrupt.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const summary = await archiveOpportunities(
      {
        org: values.org,
        concurrency,
        ...(values.since === undefined ? {} : { since: values.since }),
        ...(values.where === undefined ? {} : { where: values.where }),
      },
      {
        reader,
        store,
        now: () => new Date(),
        signal: interrupt.signal,
        onProgress: (e) => io.out(view.onEvent(e)),
      },
    )
    io.out(view.finish())
    io.out(summaryLine(summary, where))
    return 0
  } catch (err) {
    io.out(view.finish())
    if (err instanceof ArchiveRunError && interrupt.signal.aborted) {
      io.err(
        `forcegate archive: interrupted after archiving ${err.summary.archived} opportunities ` +
          `(${err.summary.objectsUploaded} objects) to ${where}; run the same command again to resume\n`,
      )
      return 130
    }
    if (!(err instanceof ArchiveRunError) || !(err.cause instanceof ArchiveError)) throw err
    if (err.cause.code === 'ARCHIVE_USAGE') throw new UsageError(err.cause.message)
    const s = err.summary
    io.err(
      `forcegate archive: ${err.cause.message}\n` +
        `stopped after archiving ${s.archived} opportunities (${s.objectsUploaded} objects) to ${where}; ` +
        'run the same command again to resume\n',
    )
    return 1
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

async function verify(values: ReturnType<typeof parse>['values'], io: CliIo): Promise<number> {
  if (values.to === undefined) throw new UsageError('archive verify needs --to <s3://bucket/prefix | folder>')
  const target = parseArchiveTarget(values.to, process.cwd())
  const store = await storeFor(target, values['s3-endpoint'])
  const where = describeTarget(target)
  const result = await verifyArchive(store, { concurrency: 4 })
  for (const p of result.problems)
    io.out(`${p.problem === 'missing' ? 'MISSING' : 'MISMATCH'} ${p.key}: ${p.detail}\n`)
  if (result.problems.length > 0) {
    io.err(
      `forcegate archive verify: ${result.problems.length} of ${result.objects} objects in ${where} failed\n`,
    )
    return 1
  }
  io.out(
    `verified ${result.objects} objects of ${result.opportunities} opportunities (${formatBytes(result.bytes)}) ` +
      `in ${where}: every SHA-256 matches the manifest\n`,
  )
  return 0
}

export async function archiveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv)
  if (values.help) {
    io.out(ARCHIVE_USAGE)
    return 0
  }
  const [sub, ...extra] = positionals
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`)
  try {
    if (sub === 'opportunities') return await opportunities(values, io)
    if (sub === 'verify') return await verify(values, io)
  } catch (err) {
    if (!(err instanceof ArchiveError)) throw err
    if (err.code === 'ARCHIVE_USAGE') throw new UsageError(err.message)
    io.err(`forcegate archive: ${err.message}\n`)
    return 1
  }
  throw new UsageError(`archive takes 'opportunities' or 'verify', not '${sub ?? ''}'`)
}
