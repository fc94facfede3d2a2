// The SOQL the archive reads with: an Opportunity with its line items and contact roles in one
// query, then its files. ContentDocumentLink must be filtered by LinkedEntityId (Salesforce
// refuses unfiltered link queries), so links and versions are read per batch of deals.

import { ArchiveError } from './archive-error.ts'

/** Ids per IN (…) list: keeps each query URL far below Salesforce's 16,000-character limit. */
export const IDS_PER_QUERY = 100

const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'AccountId',
  'Account.Name',
  'OwnerId',
  'StageName',
  'Amount',
  'CloseDate',
  'Probability',
  'Type',
  'LeadSource',
  'Description',
  'NextStep',
  'ForecastCategoryName',
  'IsClosed',
  'IsWon',
  'Pricebook2Id',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
]
const LINE_ITEM_FIELDS = [
  'Id',
  'PricebookEntryId',
  'Product2Id',
  'PricebookEntry.Product2.Name',
  'Quantity',
  'UnitPrice',
  'ListPrice',
  'TotalPrice',
  'Discount',
  'SystemModstamp',
]
const CONTACT_ROLE_FIELDS = ['Id', 'ContactId', 'Contact.Name', 'Role', 'IsPrimary', 'SystemModstamp']
const LINK_FIELDS = [
  'Id',
  'ContentDocumentId',
  'LinkedEntityId',
  'ShareType',
  'Visibility',
  'SystemModstamp',
  'ContentDocument.Title',
  'ContentDocument.FileExtension',
  'ContentDocument.LatestPublishedVersionId',
]
const VERSION_FIELDS = [
  'Id',
  'ContentDocumentId',
  'Title',
  'PathOnClient',
  'FileExtension',
  'FileType',
  'ContentSize',
  'Checksum',
  'VersionNumber',
  'CreatedDate',
  'SystemModstamp',
]

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/
const ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/

/** `--since` as a SOQL datetime literal: a date means its start, in UTC. */
export function sinceLiteral(since: string): string {
  if (DATE.test(since) && !Number.isNaN(Date.parse(since))) return `${since}T00:00:00Z`
  if (DATETIME.test(since) && !Number.isNaN(Date.parse(since))) return since
  throw new ArchiveError(
    'ARCHIVE_USAGE',
    `--since takes a date (2026-01-31) or a datetime with zone, not ${since}`,
  )
}

export function opportunitySoql(filter: { since?: string; where?: string }): string {
  const conditions: string[] = []
  if (filter.since !== undefined) conditions.push(`SystemModstamp >= ${sinceLiteral(filter.since)}`)
  if (filter.where !== undefined && filter.where.trim() !== '') conditions.push(`(${filter.where})`)
  return (
    `SELECT ${OPPORTUNITY_FIELDS.join(', ')}, ` +
    `(SELECT ${LINE_ITEM_FIELDS.join(', ')} FROM OpportunityLineItems), ` +
    `(SELECT ${CONTACT_ROLE_FIELDS.join(', ')} FROM OpportunityContactRoles) ` +
    `FROM Opportunity${conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`} ORDER BY Id`
  )
}

function idList(ids: readonly string[]): string {
  for (const id of ids) if (!ID.test(id)) throw new Error(`not a Salesforce id: ${id}`)
  return ids.map((id) => `'${id}'`).join(', ')
}

export function linksSoql(opportunityIds: readonly string[]): string {
  return `SELECT ${LINK_FIELDS.join(', ')} FROM ContentDocumentLink WHERE LinkedEntityId IN (${idList(opportunityIds)})`
}

export function versionsSoql(versionIds: readonly string[]): string {
  return `SELECT ${VERSION_FIELDS.join(', ')} FROM ContentVersion WHERE Id IN (${idList(versionIds)})`
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
