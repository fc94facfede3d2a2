/**
 * sObject Collections upsert by external ID: up to 200 records in one call, one result per
 * record in order, a failing record failing alone (`allOrNone: false`). Used by routes that
 * receive an array and by `forcegate sync contacts`, which sends its batches through it.
 */
import { readErrors, type SalesforceError } from './salesforce-answer.ts'
import type { SalesforceAnswer, SalesforceCredentials, SalesforceRest } from './salesforce-rest.ts'

export const MAX_COLLECTION = 200

export interface RecordResult {
  readonly index: number
  readonly externalId: string | null
  readonly success: boolean
  readonly created: boolean
  readonly id: string | null
  readonly errors: readonly SalesforceError[]
}

export type CollectionOutcome =
  | { readonly kind: 'results'; readonly results: readonly RecordResult[]; readonly answer: SalesforceAnswer }
  /** The call as a whole was refused (malformed, the token, the org): no record was written. */
  | { readonly kind: 'refused'; readonly answer: SalesforceAnswer }

export interface UpsertTarget {
  readonly sobject: string
  readonly externalIdField: string
  readonly allowDuplicateSave: boolean
}

export async function upsertCollection(
  rest: SalesforceRest,
  credentials: SalesforceCredentials,
  target: UpsertTarget,
  records: readonly Readonly<Record<string, unknown>>[],
): Promise<CollectionOutcome> {
  if (records.length === 0 || records.length > MAX_COLLECTION)
    throw new RangeError(`a collection holds 1 to ${MAX_COLLECTION} records, not ${records.length}`)
  const body = {
    allOrNone: false,
    records: records.map((r) => ({ attributes: { type: target.sobject }, ...withoutAttributes(r) })),
  }
  const answer = await rest.call(credentials, {
    method: 'PATCH',
    path: `/composite/sobjects/${target.sobject}/${target.externalIdField}`,
    body: JSON.stringify(body),
    headers: target.allowDuplicateSave ? { 'sforce-duplicate-rule-header': 'allowSave=true' } : {},
  })
  if (answer.status !== 200 || !Array.isArray(answer.json) || answer.json.length !== records.length)
    return { kind: 'refused', answer }
  const results = (answer.json as Record<string, unknown>[]).map((item, index): RecordResult => {
    const ext = records[index]![target.externalIdField]
    return {
      index,
      externalId: ext === undefined || ext === null ? null : String(ext),
      success: item.success === true,
      created: item.success === true && item.created === true,
      id: typeof item.id === 'string' && item.id !== '' ? item.id : null,
      errors: readErrors(item.errors),
    }
  })
  return { kind: 'results', results, answer }
}

function withoutAttributes(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { attributes: _ignored, ...rest } = record
  return rest
}
