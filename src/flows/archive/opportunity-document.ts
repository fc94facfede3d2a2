// The archived form of one Opportunity, built from what the org answered: its fields, line
// items, contact roles and the metadata of each linked file (with the key its bytes go to).
// Pure, so the same answers always give the same bytes and the same checksum.

import { fileKey } from './archive-layout.ts'
import type { SObject } from './org-reader.ts'

export interface ArchivedFile {
  readonly key: string
  readonly versionId: string
  readonly contentType: string
  /** What the org says the bytes are: ContentSize, and Checksum (MD5 hex). */
  readonly expectedSize: number | undefined
  readonly expectedMd5: string | undefined
}

export interface OpportunityDocument {
  readonly id: string
  readonly name: string
  /** The newest SystemModstamp among the Opportunity and its related records. */
  readonly systemModstamp: string
  readonly json: Buffer
  readonly files: readonly ArchivedFile[]
}

/** The record without Salesforce's `attributes` member, at any depth. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'attributes')
      .map(([k, v]) => [k, plain(v)]),
  )
}

function children(record: SObject, relationship: string): SObject[] {
  const nested = record[relationship] as { records?: SObject[] } | null | undefined
  return nested?.records ?? []
}

function newest(stamps: readonly unknown[]): string {
  let best = ''
  let bestAt = Number.NEGATIVE_INFINITY
  for (const s of stamps) {
    if (typeof s !== 'string') continue
    const at = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
    if (at > bestAt) {
      bestAt = at
      best = s
    }
  }
  return best
}

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export function opportunityDocument(
  opportunity: SObject,
  links: readonly SObject[],
  versions: ReadonlyMap<string, SObject>,
): OpportunityDocument {
  const id = String(opportunity.Id)
  const lineItems = children(opportunity, 'OpportunityLineItems')
  const contactRoles = children(opportunity, 'OpportunityContactRoles')
  const { OpportunityLineItems: _items, OpportunityContactRoles: _roles, ...fields } = opportunity
  const files: ArchivedFile[] = []
  const fileEntries: unknown[] = []
  const stamps: unknown[] = [opportunity.SystemModstamp]
  for (const r of [...lineItems, ...contactRoles]) stamps.push(r.SystemModstamp)
  const sortedLinks = [...links].sort((a, b) =>
    String(a.ContentDocumentId).localeCompare(String(b.ContentDocumentId)),
  )
  for (const link of sortedLinks) {
    const doc = (link.ContentDocument ?? {}) as SObject
    const versionId = String(doc.LatestPublishedVersionId ?? '')
    const version = versions.get(versionId)
    stamps.push(link.SystemModstamp, version?.SystemModstamp)
    if (version === undefined) {
      fileEntries.push({ link: plain(link), version: null, key: null })
      continue
    }
    const extension = String(version.FileExtension ?? doc.FileExtension ?? '').toLowerCase()
    const name = String(
      version.PathOnClient ?? `${String(version.Title)}${extension === '' ? '' : `.${extension}`}`,
    )
    const key = fileKey(id, String(link.ContentDocumentId), versionId, name)
    const size = typeof version.ContentSize === 'number' ? version.ContentSize : undefined
    const md5 = typeof version.Checksum === 'string' ? version.Checksum.toLowerCase() : undefined
    files.push({
      key,
      versionId,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      expectedSize: size,
      expectedMd5: md5,
    })
    fileEntries.push({ link: plain(link), version: plain(version), key })
  }
  const document = {
    opportunity: plain(fields),
    lineItems: plain(lineItems),
    contactRoles: plain(contactRoles),
    files: fileEntries,
  }
  return {
    id,
    name: String(opportunity.Name ?? ''),
    systemModstamp: newest(stamps),
    json: Buffer.from(`${JSON.stringify(document, null, 2)}\n`),
    files,
  }
}
