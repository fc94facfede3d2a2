// Record-level sharing. Opportunity is private, as in most real orgs: a user sees a deal they
// own or that is shared with them (OpportunityShare), and users with "Modify All Data" see and
// edit everything. Line items, contact roles and shares follow their opportunity ("controlled by
// parent"); files follow the records they are linked to. Every other object is public read/write,
// as a default org's Accounts and Contacts are.

import type { RecordData, RecordStore } from './record-store.ts'
import { errors } from './rest-errors.ts'

/** None < Read < Edit < All (owner, or Modify All Data: may also delete and share). */
export const NONE = 0
export const READ = 1
export const EDIT = 2
export const ALL = 3

const SHARE_LEVELS: Record<string, number> = { read: READ, edit: EDIT, all: ALL }
const CONTROLLED_BY_OPPORTUNITY = new Set([
  'OpportunityLineItem',
  'OpportunityContactRole',
  'OpportunityShare',
])

export type RecordAccess = {
  level(sobject: string, data: RecordData): number
  canRead(sobject: string, data: RecordData): boolean
  /** Throws INSUFFICIENT_ACCESS_OR_READONLY unless the caller may edit the record. */
  checkEdit(sobject: string, data: RecordData): void
  checkDelete(sobject: string, data: RecordData): void
  /** Throws the error a save gets for a record attached to something the caller may not touch. */
  checkInsert(sobject: string, data: RecordData): void
}

/** The system's own view (seed loading, cascades): everything, always. */
export const SYSTEM_ACCESS: RecordAccess = {
  level: () => ALL,
  canRead: () => true,
  checkEdit: () => {},
  checkDelete: () => {},
  checkInsert: () => {},
}

export function createRecordAccess(store: RecordStore, userId: string, modifyAllData: boolean): RecordAccess {
  if (modifyAllData) return SYSTEM_ACCESS

  function levelOfId(id: unknown): number {
    if (typeof id !== 'string') return ALL
    const rec = store.get(id)
    // Users are not records here; a file linked to the caller is theirs to read.
    if (!rec) return id === userId ? READ : NONE
    return level(rec.sobject, rec.data)
  }

  function opportunityLevel(opp: RecordData): number {
    if (opp.OwnerId === userId) return ALL
    let best = NONE
    for (const share of store.list('OpportunityShare', false)) {
      if (share.data.OpportunityId !== opp.Id || share.data.UserOrGroupId !== userId) continue
      best = Math.max(best, SHARE_LEVELS[String(share.data.OpportunityAccessLevel).toLowerCase()] ?? NONE)
    }
    return best
  }

  function documentLevel(documentId: unknown): number {
    if (typeof documentId !== 'string') return NONE
    const doc = store.get(documentId)
    if (!doc) return NONE
    if (doc.data.OwnerId === userId) return ALL
    let best = NONE
    for (const link of store.list('ContentDocumentLink', false)) {
      if (link.data.ContentDocumentId !== documentId) continue
      const through = Math.min(levelOfId(link.data.LinkedEntityId), link.data.ShareType === 'C' ? EDIT : READ)
      // An inferred share follows the record: whoever may edit the deal may edit its file.
      best = Math.max(best, link.data.ShareType === 'I' ? levelOfId(link.data.LinkedEntityId) : through)
    }
    return Math.min(best, EDIT)
  }

  function level(sobject: string, data: RecordData): number {
    if (sobject === 'Opportunity') return opportunityLevel(data)
    if (CONTROLLED_BY_OPPORTUNITY.has(sobject)) return levelOfId(data.OpportunityId)
    if (sobject === 'ContentDocument') return documentLevel(data.Id)
    if (sobject === 'ContentVersion' || sobject === 'ContentDocumentLink')
      return documentLevel(data.ContentDocumentId)
    return ALL
  }

  return {
    level,
    canRead: (sobject, data) => level(sobject, data) >= READ,
    checkEdit(sobject, data) {
      if (level(sobject, data) < EDIT) throw errors.insufficientAccess()
    },
    checkDelete(sobject, data) {
      const needed = sobject === 'Opportunity' ? ALL : EDIT
      if (level(sobject, data) < needed) throw errors.insufficientAccess()
    },
    checkInsert(sobject, data) {
      if (CONTROLLED_BY_OPPORTUNITY.has(sobject) && typeof data.OpportunityId === 'string') {
        const needed = sobject === 'OpportunityShare' ? ALL : EDIT
        if (levelOfId(data.OpportunityId) < needed)
          throw errors.insufficientAccessOnCrossReference(data.OpportunityId)
      }
      if (sobject === 'ContentDocumentLink') {
        // Attaching needs sight of both the file and the record it is attached to.
        if (levelOfId(data.LinkedEntityId) < READ) throw errors.insufficientAccess()
        if (documentLevel(data.ContentDocumentId) < READ) throw errors.insufficientAccess()
      }
    },
  }
}
