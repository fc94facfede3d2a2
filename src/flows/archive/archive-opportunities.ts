// One archive run: reads the Opportunities the filter selects, page by page, and for each one
// that changed since the manifest's entry (its newest SystemModstamp, its keys) streams its
// files from VersionData into the store, writes its JSON document, then records it in the
// manifest with every object's SHA-256. What the manifest records is stored; what it does not
// is written again by the next run, so a run may stop anywhere and the next one resumes.

import { ArchiveError } from './archive-error.ts'
import { MANIFEST_KEY, opportunityKey } from './archive-layout.ts'
import {
  emptyManifest,
  type ManifestObject,
  type ManifestOpportunity,
  parseManifest,
} from './archive-manifest.ts'
import { chunks, IDS_PER_QUERY, linksSoql, opportunitySoql, versionsSoql } from './archive-queries.ts'
import { DigestStream, sha256Hex } from './digest-stream.ts'
import { ManifestWriter } from './manifest-writer.ts'
import type { ObjectStore } from './object-store.ts'
import { type ArchivedFile, type OpportunityDocument, opportunityDocument } from './opportunity-document.ts'
import type { OrgReader, SObject } from './org-reader.ts'
import { runPool } from './run-pool.ts'

export interface ArchiveRunOptions {
  readonly org: string
  readonly since?: string
  readonly where?: string
  /** Opportunities (and so file transfers) in flight at once. */
  readonly concurrency: number
}

export interface ArchiveRunDeps {
  readonly reader: OrgReader
  readonly store: ObjectStore
  readonly now: () => Date
  /** Aborted: no new deal starts and the transfers in flight are abandoned. */
  readonly signal?: AbortSignal
  readonly onProgress?: (event: ArchiveProgress) => void
}

export type ArchiveProgress =
  | { readonly kind: 'total'; readonly total: number }
  | {
      readonly kind: 'opportunity'
      readonly id: string
      readonly name: string
      readonly status: 'archived' | 'unchanged'
      readonly uploaded: number
      readonly bytes: number
    }

export interface ArchiveSummary {
  readonly selected: number
  readonly archived: number
  readonly unchanged: number
  readonly objectsUploaded: number
  readonly bytesUploaded: number
}

/** An archive run that stopped, with what it had stored before it did. */
export class ArchiveRunError extends Error {
  override name = 'ArchiveRunError'
  override readonly cause: unknown
  readonly summary: ArchiveSummary

  constructor(cause: unknown, summary: ArchiveSummary) {
    super((cause as Error).message)
    this.cause = cause
    this.summary = summary
  }
}

async function collect(reader: OrgReader, soqls: readonly string[]): Promise<SObject[]> {
  const out: SObject[] = []
  for (const soql of soqls) for await (const page of reader.query(soql)) out.push(...page.records)
  return out
}

export async function archiveOpportunities(
  options: ArchiveRunOptions,
  deps: ArchiveRunDeps,
): Promise<ArchiveSummary> {
  const { reader, store } = deps
  const soql = opportunitySoql({
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.where === undefined ? {} : { where: options.where }),
  })
  // Read first: a missing bucket or refused credentials stop the run before Salesforce is asked.
  const stored = await store.readText(MANIFEST_KEY)
  const manifest =
    stored === undefined
      ? emptyManifest(options.org, deps.now().toISOString())
      : parseManifest(stored, MANIFEST_KEY)
  const writer = new ManifestWriter(store, manifest, deps.now)
  const counts = { selected: 0, archived: 0, unchanged: 0, objectsUploaded: 0, bytesUploaded: 0 }

  const putFile = async (
    file: ArchivedFile,
    mine: { objects: number; bytes: number },
  ): Promise<ManifestObject> => {
    const data = await reader.versionData(file.versionId)
    const digest = new DigestStream()
    // The store reads the digest and sees its errors; once the store has given up, nobody
    // listens, and an error (the source torn down below) must not end the process.
    digest.on('error', () => {})
    data.body.on('error', (err) => digest.destroy(err))
    data.body.pipe(digest)
    try {
      await store.put(file.key, digest, file.contentType, deps.signal)
    } catch (err) {
      data.body.destroy()
      throw err
    }
    const { sha256, md5 } = digest.digests()
    if (
      (file.expectedSize !== undefined && digest.byteCount !== file.expectedSize) ||
      (file.expectedMd5 !== undefined && md5 !== file.expectedMd5)
    )
      throw new ArchiveError(
        'FILE_CHECKSUM_MISMATCH',
        `ContentVersion ${file.versionId}: read ${digest.byteCount} bytes with MD5 ${md5}, the org reports ` +
          `${file.expectedSize} bytes with Checksum ${file.expectedMd5}`,
      )
    mine.objects++
    mine.bytes += digest.byteCount
    return { key: file.key, sha256, size: digest.byteCount, contentType: file.contentType }
  }

  const saves: Promise<void>[] = []
  const archiveOne = async (doc: OpportunityDocument): Promise<void> => {
    if (deps.signal?.aborted === true) throw new ArchiveError('INTERRUPTED', 'interrupted')
    const before = manifest.opportunities[doc.id]
    const jsonKey = opportunityKey(doc.id)
    const keys = [...doc.files.map((f) => f.key), jsonKey]
    const known = new Map((before?.objects ?? []).map((o) => [o.key, o]))
    if (before?.systemModstamp === doc.systemModstamp && keys.every((k) => known.has(k))) {
      counts.unchanged++
      deps.onProgress?.({
        kind: 'opportunity',
        id: doc.id,
        name: doc.name,
        status: 'unchanged',
        uploaded: 0,
        bytes: 0,
      })
      return
    }
    const mine = { objects: 0, bytes: 0 }
    const objects: ManifestObject[] = []
    // A key names one ContentVersion, whose bytes never change: one already recorded is kept.
    for (const file of doc.files) objects.push(known.get(file.key) ?? (await putFile(file, mine)))
    const sha256 = sha256Hex(doc.json)
    if (known.get(jsonKey)?.sha256 !== sha256) {
      await store.put(jsonKey, doc.json, 'application/json', deps.signal)
      mine.objects++
      mine.bytes += doc.json.length
    }
    objects.push({ key: jsonKey, sha256, size: doc.json.length, contentType: 'application/json' })
    const entry: ManifestOpportunity = {
      name: doc.name,
      systemModstamp: doc.systemModstamp,
      archivedAt: deps.now().toISOString(),
      objects,
    }
    manifest.opportunities[doc.id] = entry
    // The next deal need not wait for the manifest: the deal counts (and is reported) as
    // archived once a save that includes it is stored.
    const saved = writer.save().then(() => {
      counts.archived++
      counts.objectsUploaded += mine.objects
      counts.bytesUploaded += mine.bytes
      deps.onProgress?.({
        kind: 'opportunity',
        id: doc.id,
        name: doc.name,
        status: 'archived',
        uploaded: mine.objects,
        bytes: mine.bytes,
      })
    })
    saved.catch(() => {})
    saves.push(saved)
  }

  try {
    let announced = false
    for await (const page of reader.query(soql)) {
      if (deps.signal?.aborted === true) throw new ArchiveError('INTERRUPTED', 'interrupted')
      if (!announced) deps.onProgress?.({ kind: 'total', total: page.totalSize })
      announced = true
      counts.selected += page.records.length
      const ids = page.records.map((r) => String(r.Id))
      const links = await collect(reader, chunks(ids, IDS_PER_QUERY).map(linksSoql))
      const versionIds = [
        ...new Set(
          links
            .map((l) => (l.ContentDocument as SObject | null)?.LatestPublishedVersionId)
            .filter((v) => typeof v === 'string'),
        ),
      ] as string[]
      const versions = await collect(reader, chunks(versionIds, IDS_PER_QUERY).map(versionsSoql))
      const versionById = new Map(versions.map((v) => [String(v.Id), v]))
      const linksOf = Map.groupBy(links, (l) => String(l.LinkedEntityId))
      const docs = page.records.map((r) =>
        opportunityDocument(r, linksOf.get(String(r.Id)) ?? [], versionById),
      )
      await runPool(docs, options.concurrency, archiveOne)
    }
    await Promise.all(saves)
  } catch (err) {
    await Promise.allSettled(saves)
    throw new ArchiveRunError(err, { ...counts })
  }
  return { ...counts }
}
