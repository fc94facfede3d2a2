/**
 * `forcegate sync contacts`: customers from a file upserted as Contacts by their external ID,
 * in batches of up to 200 (one sObject Collections call each). After every batch the org
 * answered, the error report is appended and the checkpoint moved past the batch; a run that
 * stops (a crash, a kill, the org unavailable) starts again after the last batch recorded. A
 * batch in flight at the crash is sent again, which upserting by external ID makes harmless:
 * no customer becomes two Contacts.
 */
import { appendFileSync, existsSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import type { CollectionOutcome, RecordResult } from '../../integrations/salesforce/collection-upsert.ts'
import { readErrors } from '../../integrations/salesforce/salesforce-answer.ts'
import { contactOf } from './contact-record.ts'
import { type CustomerFormat, countCustomers, readCustomers } from './customer-file.ts'
import { readCheckpoint, type SyncCheckpoint, sameInput, writeCheckpoint } from './sync-checkpoint.ts'
import { type ProgressOutput, SyncProgress } from './sync-progress.ts'

export interface ContactsSyncOptions {
  readonly file: string
  readonly format: CustomerFormat
  readonly externalIdField: string
  readonly batchSize: number
  readonly checkpointPath: string
  readonly reportPath: string
  /** Ignore an existing checkpoint and start from the first record. */
  readonly restart: boolean
}

export interface ContactsSyncDeps {
  upsert(records: readonly Record<string, unknown>[]): Promise<CollectionOutcome>
  readonly progress: ProgressOutput
  readonly clock: () => number
}

export interface SyncSummary {
  readonly total: number
  readonly created: number
  readonly updated: number
  readonly failed: number
  /** Records a previous run had already handled. */
  readonly resumedAt: number
}

/** The run stopped before the end; the checkpoint holds what was done, the same command resumes. */
export class SyncInterrupted extends Error {
  override name = 'SyncInterrupted'
}

interface Pending {
  readonly line: number
  readonly externalId: string
  readonly record: Record<string, unknown>
}

export async function syncContacts(
  options: ContactsSyncOptions,
  deps: ContactsSyncDeps,
): Promise<SyncSummary> {
  const stat = statSync(options.file)
  const input = { path: options.file, size: stat.size, mtimeMs: stat.mtimeMs }
  const previous = options.restart ? undefined : readCheckpoint(options.checkpointPath)
  if (previous !== undefined && !sameInput(previous, input))
    throw new SyncInterrupted(
      `the checkpoint ${options.checkpointPath} belongs to another version of ${options.file}; pass --restart to start over`,
    )
  let state: SyncCheckpoint = previous ?? {
    input,
    done: 0,
    created: 0,
    updated: 0,
    failed: 0,
    reportBytes: 0,
  }
  // The report keeps exactly the records the checkpoint counts: a batch cut short is reported again.
  if (previous !== undefined && existsSync(options.reportPath))
    truncateSync(options.reportPath, previous.reportBytes)
  else writeFileSync(options.reportPath, '')
  const total = await countCustomers(options.file, options.format)
  const progress = new SyncProgress(deps.progress, deps.clock, state.done)
  const resumedAt = state.done
  let index = 0
  let batchRecords = 0
  let batch: Pending[] = []
  let reportLines: string[] = []

  const flush = async (): Promise<void> => {
    let created = 0
    let updated = 0
    let failed = reportLines.length
    if (batch.length > 0) {
      const results = await send(batch, deps)
      for (const [i, r] of results.entries()) {
        if (r.created) created++
        else if (r.success) updated++
        else {
          failed++
          reportLines.push(reportLine(batch[i]!.line, batch[i]!.externalId, r.errors))
        }
      }
    }
    if (reportLines.length > 0) appendFileSync(options.reportPath, reportLines.join(''))
    state = {
      input,
      done: state.done + batchRecords,
      created: state.created + created,
      updated: state.updated + updated,
      failed: state.failed + failed,
      reportBytes: existsSync(options.reportPath) ? statSync(options.reportPath).size : 0,
    }
    writeCheckpoint(options.checkpointPath, state)
    progress.update({ ...state, total })
    batch = []
    batchRecords = 0
    reportLines = []
  }

  for await (const customer of readCustomers(options.file, options.format)) {
    if (index++ < state.done) continue
    batchRecords++
    const contact =
      customer.fields === undefined
        ? { problem: customer.problem ?? 'unreadable' }
        : contactOf(customer.fields, options.externalIdField)
    if ('problem' in contact) {
      const id = customer.fields?.customerId ?? customer.fields?.[options.externalIdField]
      reportLines.push(
        reportLine(customer.line, id === undefined ? null : String(id), [
          { errorCode: 'INVALID_INPUT', message: contact.problem },
        ]),
      )
    } else batch.push({ line: customer.line, externalId: contact.externalId, record: contact.record })
    if (batch.length >= options.batchSize) await flush()
  }
  if (batchRecords > 0) await flush()
  progress.finish()
  rmSync(options.checkpointPath, { force: true })
  return { total, created: state.created, updated: state.updated, failed: state.failed, resumedAt }
}

async function send(batch: readonly Pending[], deps: ContactsSyncDeps): Promise<readonly RecordResult[]> {
  let outcome: CollectionOutcome
  try {
    outcome = await deps.upsert(batch.map((p) => p.record))
  } catch (err) {
    throw new SyncInterrupted(`the org could not be reached: ${(err as Error).message}`, { cause: err })
  }
  if (outcome.kind === 'results') return outcome.results
  const { answer } = outcome
  // The call as a whole refused for a reason that is not the records': stop, resume later.
  if (answer.status !== 400 || answer.errorCode === 'REQUEST_LIMIT_EXCEEDED')
    throw new SyncInterrupted(
      `Salesforce answered ${answer.status}${answer.errorCode === undefined ? '' : ` ${answer.errorCode}`} after ${answer.attempts} attempt(s)`,
    )
  const errors = readErrors(answer.json)
  return batch.map((p, index) => ({
    index,
    externalId: p.externalId,
    success: false,
    created: false,
    id: null,
    errors,
  }))
}

function reportLine(line: number, externalId: string | null, errors: readonly unknown[]): string {
  return `${JSON.stringify({ line, externalId, errors })}\n`
}
