// Per-object behaviour a real org applies on save: derived fields, roll-ups, defaults,
// uniqueness and cascading deletes. Kept apart from the generic write path so each rule is
// visible in one place.

import type { RecordData, RecordStore } from './record-store.ts'
import { errors } from './rest-errors.ts'

export type RuleContext = { store: RecordStore; at: string }

/** Child lookups whose records go when their parent is deleted. */
export const CASCADES: Record<string, { sobject: string; field: string }[]> = {
  Account: [
    { sobject: 'Contact', field: 'AccountId' },
    { sobject: 'Opportunity', field: 'AccountId' },
  ],
  Opportunity: [
    { sobject: 'OpportunityLineItem', field: 'OpportunityId' },
    { sobject: 'OpportunityContactRole', field: 'OpportunityId' },
  ],
  ContentDocument: [
    { sobject: 'ContentVersion', field: 'ContentDocumentId' },
    { sobject: 'ContentDocumentLink', field: 'ContentDocumentId' },
  ],
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null
}

/** Fills derived fields on the merged record before it is stored. */
export function deriveFields(
  sobject: string,
  merged: RecordData,
  prior: RecordData | null,
  ctx: RuleContext,
): void {
  switch (sobject) {
    case 'Contact':
      merged.Name = [merged.FirstName, merged.LastName]
        .filter((p) => typeof p === 'string' && p !== '')
        .join(' ')
      break
    case 'Opportunity': {
      const stage = typeof merged.StageName === 'string' ? merged.StageName : ''
      merged.IsClosed = stage.startsWith('Closed')
      merged.IsWon = stage === 'Closed Won'
      merged.HasOpportunityLineItem ??= false
      break
    }
    case 'PricebookEntry': {
      const product = typeof merged.Product2Id === 'string' ? ctx.store.get(merged.Product2Id) : undefined
      merged.Name = product?.data.Name ?? null
      merged.ProductCode = product?.data.ProductCode ?? null
      merged.IsActive ??= true
      break
    }
    case 'OpportunityLineItem': {
      if (!prior) fromPriceBookEntry(merged, ctx)
      const qty = num(merged.Quantity) ?? 0
      if (!prior && merged.UnitPrice != null && merged.TotalPrice != null) {
        throw errors.fieldIntegrity('Specify either UnitPrice or TotalPrice, not both', [
          'UnitPrice',
          'TotalPrice',
        ])
      }
      const totalGiven = merged.TotalPrice != null && (!prior || merged.TotalPrice !== prior.TotalPrice)
      if (totalGiven && qty !== 0) merged.UnitPrice = (num(merged.TotalPrice) ?? 0) / qty
      else if (merged.UnitPrice != null) merged.TotalPrice = (num(merged.UnitPrice) ?? 0) * qty
      else throw errors.requiredMissing(['UnitPrice'])
      break
    }
    case 'OpportunityContactRole':
      merged.IsPrimary ??= false
      break
    case 'ContentDocumentLink': {
      merged.ShareType ??= 'V'
      merged.Visibility ??= 'AllUsers'
      const dup = ctx.store
        .list('ContentDocumentLink', false)
        .find(
          (l) =>
            l.id !== merged.Id &&
            l.data.ContentDocumentId === merged.ContentDocumentId &&
            l.data.LinkedEntityId === merged.LinkedEntityId,
        )
      if (dup)
        throw errors.duplicateValue(
          `duplicate value found: the document is already linked to the record ${dup.id}`,
        )
      break
    }
  }
}

/**
 * A line item takes its product, list price and (by default) sales price from its price book
 * entry, and the first item fixes the opportunity's price book.
 */
function fromPriceBookEntry(item: RecordData, ctx: RuleContext): void {
  const entry = typeof item.PricebookEntryId === 'string' ? ctx.store.get(item.PricebookEntryId) : undefined
  if (!entry) return
  const opp = typeof item.OpportunityId === 'string' ? ctx.store.get(item.OpportunityId) : undefined
  const book = entry.data.Pricebook2Id
  if (opp?.data.Pricebook2Id && opp.data.Pricebook2Id !== book) {
    throw errors.fieldIntegrity("The price book entry is not in the opportunity's price book", [
      'PricebookEntryId',
    ])
  }
  if (opp && !opp.data.Pricebook2Id)
    ctx.store.update(opp.id, { ...opp.data, Pricebook2Id: book ?? null }, ctx.at)
  item.Product2Id = entry.data.Product2Id ?? null
  item.ProductCode = entry.data.ProductCode ?? null
  item.ListPrice = entry.data.UnitPrice ?? null
  item.Name = [opp?.data.Name, entry.data.Name].filter((p) => typeof p === 'string').join(' ')
  if (item.UnitPrice == null && item.TotalPrice == null) item.UnitPrice = entry.data.UnitPrice ?? null
}

/** Updates records that depend on a saved or deleted one (roll-ups, single primary role). */
export function afterChange(sobject: string, record: RecordData, ctx: RuleContext): void {
  if (sobject === 'OpportunityLineItem' && typeof record.OpportunityId === 'string') {
    rollUpOpportunity(record.OpportunityId, ctx)
  }
  if (sobject === 'OpportunityContactRole' && record.IsPrimary === true && !record.IsDeleted) {
    for (const other of ctx.store.list('OpportunityContactRole', false)) {
      if (
        other.id !== record.Id &&
        other.data.OpportunityId === record.OpportunityId &&
        other.data.IsPrimary
      ) {
        ctx.store.update(other.id, { ...other.data, IsPrimary: false, SystemModstamp: ctx.at }, ctx.at)
      }
    }
  }
}

function rollUpOpportunity(oppId: string, ctx: RuleContext): void {
  const opp = ctx.store.get(oppId)
  if (!opp || opp.deleted) return
  const items = ctx.store.list('OpportunityLineItem', false).filter((i) => i.data.OpportunityId === oppId)
  const data: RecordData = { ...opp.data, HasOpportunityLineItem: items.length > 0, SystemModstamp: ctx.at }
  if (items.length > 0) data.Amount = items.reduce((sum, i) => sum + (num(i.data.TotalPrice) ?? 0), 0)
  ctx.store.update(oppId, data, ctx.at)
}
