import { ArchiveError } from './archive-error.ts'

export const MANIFEST_FORMAT = 'forcegate-opportunity-archive/1'

/** One stored object: its key (relative to the prefix), SHA-256 and length of its bytes. */
export interface ManifestObject {
  readonly key: string
  readonly sha256: string
  readonly size: number
  readonly contentType: string
}

export interface ManifestOpportunity {
  readonly name: string
  /** The newest SystemModstamp of the Opportunity and its related records when archived. */
  readonly systemModstamp: string
  readonly archivedAt: string
  readonly objects: readonly ManifestObject[]
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT
  readonly org: string
  updatedAt: string
  readonly opportunities: Record<string, ManifestOpportunity>
}

export function emptyManifest(org: string, at: string): Manifest {
  return { format: MANIFEST_FORMAT, org, updatedAt: at, opportunities: {} }
}

/** Reads a stored manifest; anything else at that key is refused rather than overwritten. */
export function parseManifest(text: string, where: string): Manifest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ArchiveError('MANIFEST_INVALID', `${where} is not JSON; refusing to overwrite it`)
  }
  const m = value as Partial<Manifest> | null
  if (
    m === null ||
    m.format !== MANIFEST_FORMAT ||
    typeof m.opportunities !== 'object' ||
    m.opportunities === null
  )
    throw new ArchiveError('MANIFEST_INVALID', `${where} is not a ${MANIFEST_FORMAT} manifest`)
  return m as Manifest
}

export function serializeManifest(manifest: Manifest): Buffer {
  const sorted = Object.fromEntries(
    Object.entries(manifest.opportunities).sort(([a], [b]) => a.localeCompare(b)),
  )
  return Buffer.from(`${JSON.stringify({ ...manifest, opportunities: sorted }, null, 2)}\n`)
}
