/**
 * The SOQL the Opportunities page sends, built only from ids that have the shape of a
 * Salesforce id (15 or 18 letters and digits): nothing else ever reaches a query, so there is
 * nothing to escape and nothing to inject.
 */

declare const validated: unique symbol

/** A string that passed `salesforceId`. */
export type SalesforceId = string & { readonly [validated]: true }

const ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/

export function salesforceId(candidate: string | undefined): SalesforceId | undefined {
  return candidate !== undefined && ID.test(candidate) ? (candidate as SalesforceId) : undefined
}

/** How many deals the list shows; the page says when there are more. */
export const LIST_LIMIT = 200

const OPPORTUNITY_FIELDS = 'Id, Name, StageName, CloseDate, Amount, OwnerId, Account.Name'

/** Every deal the org's sharing lets the user see (no owner filter: the org decides). */
export function opportunityListQuery(): string {
  return `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity ORDER BY CloseDate ASC, Name ASC LIMIT ${LIST_LIMIT + 1}`
}

export function opportunityQuery(id: SalesforceId): string {
  return `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity WHERE Id = '${id}'`
}

/** The files linked to the deal (Salesforce asks link queries to name the record). */
export function contractLinksQuery(opportunityId: SalesforceId): string {
  return (
    'SELECT ContentDocumentId, ContentDocument.Title, ContentDocument.FileExtension, ' +
    'ContentDocument.ContentSize, ContentDocument.LatestPublishedVersionId, ContentDocument.CreatedDate ' +
    `FROM ContentDocumentLink WHERE LinkedEntityId = '${opportunityId}'`
  )
}

export interface OpportunityRow {
  readonly id: string
  readonly name: string
  readonly stage: string
  readonly closeDate: string
  readonly amount: number | undefined
  readonly account: string | undefined
  readonly ownerId: string
}

export interface ContractRow {
  readonly documentId: string
  readonly title: string
  readonly extension: string | undefined
  readonly size: number | undefined
  readonly versionId: string | undefined
  readonly createdDate: string | undefined
}

type Json = Readonly<Record<string, unknown>>

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** The records of a query answer (`{totalSize, done, records}`); empty for anything else. */
export function recordsOf(json: unknown): readonly Json[] {
  const records = (json as { records?: unknown } | undefined)?.records
  return Array.isArray(records) ? records.filter((r): r is Json => typeof r === 'object' && r !== null) : []
}

export function opportunityRow(r: Json): OpportunityRow {
  return {
    id: str(r.Id) ?? '',
    name: str(r.Name) ?? '',
    stage: str(r.StageName) ?? '',
    closeDate: str(r.CloseDate) ?? '',
    amount: num(r.Amount),
    account: str((r.Account as Json | null | undefined)?.Name),
    ownerId: str(r.OwnerId) ?? '',
  }
}

export function contractRow(r: Json): ContractRow {
  const doc = (r.ContentDocument as Json | null | undefined) ?? {}
  return {
    documentId: str(r.ContentDocumentId) ?? '',
    title: str(doc.Title) ?? '',
    extension: str(doc.FileExtension),
    size: num(doc.ContentSize),
    versionId: str(doc.LatestPublishedVersionId),
    createdDate: str(doc.CreatedDate),
  }
}

/** The same record whether named by its 15- or 18-character id (the first 15 are case-exact). */
export function sameId(a: string, b: string): boolean {
  return a.length >= 15 && b.length >= 15 && a.slice(0, 15) === b.slice(0, 15)
}
