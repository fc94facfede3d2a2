// The key layout, relative to the archive's prefix. Keys are stable: an Opportunity's document
// always lands on the same key, and a file's bytes under its ContentVersion id, which Salesforce
// never reuses for other bytes, so a key once written never has to change.

export const MANIFEST_KEY = 'manifest.json'

export function opportunityKey(opportunityId: string): string {
  return `opportunities/${opportunityId}/opportunity.json`
}

export function fileKey(
  opportunityId: string,
  contentDocumentId: string,
  versionId: string,
  fileName: string,
): string {
  return `opportunities/${opportunityId}/files/${contentDocumentId}/${versionId}/${safeFileName(fileName)}`
}

/** A file name safe in a key and on every file system: no separators, no dot segments. */
export function safeFileName(name: string): string {
  const cleaned = [...name.normalize('NFC')]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+/, '_')
    .slice(0, 200)
  return cleaned === '' ? 'file' : cleaned
}
