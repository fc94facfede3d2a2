import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Agent } from 'undici'
import { readGatewayFile } from '../config/read-gateway-file.ts'
import { resolveIntegrationUser } from '../config/resolve-integration-user.ts'
import { loadSourceDocument } from '../config/source-document.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { SyncInterrupted, syncContacts } from '../flows/contacts/contacts-sync.ts'
import { formatOf } from '../flows/contacts/customer-file.ts'
import { MAX_COLLECTION, upsertCollection } from '../integrations/salesforce/collection-upsert.ts'
import { createIntegrationUserToken } from '../integrations/salesforce/integration-user-token.ts'
import { SalesforceRest } from '../integrations/salesforce/salesforce-rest.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export const SYNC_USAGE = `forcegate sync contacts --org <name> --file <customers.csv|.ndjson> [--config <forcegate.yaml>]
                [--external-id Customer_Id__c] [--batch-size 200] [--restart]
                [--checkpoint <file>] [--errors <file>]
  Upserts each customer as a Contact by its external ID, as the org's integration user
  (salesforce.orgs.<name>.integrationUser), 200 per sObject Collections call. Resumes after a
  crash from the last batch done (checkpoint: <file>.checkpoint.json); records Salesforce
  refused go to <file>.errors.ndjson; ends with created / updated / failed. Exit 0 when every
  record was written, 1 when some failed or the run stopped (run it again to resume).
`

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        org: { type: 'string' },
        file: { type: 'string' },
        config: { type: 'string' },
        'external-id': { type: 'string', default: 'Customer_Id__c' },
        'batch-size': { type: 'string', default: String(MAX_COLLECTION) },
        checkpoint: { type: 'string' },
        errors: { type: 'string' },
        restart: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

export async function syncCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv)
  if (values.help) {
    io.out(SYNC_USAGE)
    return 0
  }
  if (positionals[0] !== 'contacts' || positionals.length !== 1)
    throw new UsageError('sync knows one flow: forcegate sync contacts --org <name> --file <customers>')
  if (values.org === undefined || values.file === undefined)
    throw new UsageError('sync contacts needs --org <name> and --file <customers.csv|.ndjson>')
  const format = formatOf(values.file)
  if (format === undefined) throw new UsageError(`--file must end in .csv or .ndjson: ${values.file}`)
  if (!existsSync(values.file)) throw new UsageError(`no such file: ${values.file}`)
  const batchSize = Number(values['batch-size'])
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_COLLECTION)
    throw new UsageError(`--batch-size must be 1 to ${MAX_COLLECTION}`)
  const externalIdField = values['external-id']
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(externalIdField))
    throw new UsageError('--external-id must be a field API name')
  const configFile = values.config ?? 'forcegate.yaml'
  if (!existsSync(configFile))
    throw new UsageError(`sync needs --config <forcegate.yaml> (${configFile} not found)`)
  const doc = await loadSourceDocument(configFile)
  const config = readGatewayFile(doc)
  const user = resolveIntegrationUser(values.org, config.salesforce.orgs[values.org], doc.file)
  const agent = new Agent({ connections: 4 })
  const rest = new SalesforceRest({ dispatcher: agent, timeoutMs: 120_000 })
  const credentials = { kind: 'integrationUser' as const, source: createIntegrationUserToken(user) }
  const target = { sobject: 'Contact', externalIdField, allowDuplicateSave: false }
  try {
    const summary = await syncContacts(
      {
        file: values.file,
        format,
        externalIdField,
        batchSize,
        checkpointPath: values.checkpoint ?? `${values.file}.checkpoint.json`,
        reportPath: values.errors ?? `${values.file}.errors.ndjson`,
        restart: values.restart,
      },
      {
        upsert: (records) => upsertCollection(rest, credentials, target, records),
        progress: { isTTY: process.stderr.isTTY === true, write: (t) => io.err(t) },
        clock: Date.now,
      },
    )
    const resumed = summary.resumedAt > 0 ? ` (resumed after record ${summary.resumedAt})` : ''
    io.out(
      `contacts: ${summary.total} records${resumed}: created ${summary.created}, updated ${summary.updated}, failed ${summary.failed}\n`,
    )
    if (summary.failed > 0) io.out(`errors: ${values.errors ?? `${values.file}.errors.ndjson`}\n`)
    return summary.failed > 0 ? 1 : 0
  } catch (err) {
    if (err instanceof SyncInterrupted || err instanceof GatewayError) {
      io.err(
        `forcegate sync: stopped: ${err.message}\nRun the same command again to resume from the last batch done.\n`,
      )
      return 1
    }
    throw err
  } finally {
    await agent.close()
  }
}
