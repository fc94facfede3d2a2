// Re-reads an archive: the manifest, then every object it lists, comparing each one's SHA-256
// and length with what the manifest recorded when the object was written.

import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ArchiveError } from './archive-error.ts'
import { MANIFEST_KEY } from './archive-layout.ts'
import { type ManifestObject, parseManifest } from './archive-manifest.ts'
import { DigestStream } from './digest-stream.ts'
import type { ObjectStore } from './object-store.ts'
import { runPool } from './run-pool.ts'

export interface VerifyProblem {
  readonly key: string
  readonly problem: 'missing' | 'checksum mismatch'
  readonly detail: string
}

export interface VerifyResult {
  readonly opportunities: number
  readonly objects: number
  readonly bytes: number
  readonly problems: readonly VerifyProblem[]
}

export async function verifyArchive(
  store: ObjectStore,
  options: { readonly concurrency: number; readonly onChecked?: (key: string, ok: boolean) => void },
): Promise<VerifyResult> {
  const text = await store.readText(MANIFEST_KEY)
  if (text === undefined)
    throw new ArchiveError('MANIFEST_INVALID', `there is no ${MANIFEST_KEY} here to verify`)
  const manifest = parseManifest(text, MANIFEST_KEY)
  const objects: ManifestObject[] = Object.values(manifest.opportunities).flatMap((o) => [...o.objects])
  const problems: VerifyProblem[] = []
  let bytes = 0
  await runPool(objects, options.concurrency, async (object) => {
    const body = await store.openRead(object.key)
    if (body === undefined) {
      problems.push({
        key: object.key,
        problem: 'missing',
        detail: 'the manifest lists it; the store has no such object',
      })
      options.onChecked?.(object.key, false)
      return
    }
    const digest = new DigestStream()
    await pipeline(body, digest, new Writable({ write: (_c, _e, done) => done() }))
    const { sha256 } = digest.digests()
    bytes += digest.byteCount
    const ok = sha256 === object.sha256 && digest.byteCount === object.size
    if (!ok)
      problems.push({
        key: object.key,
        problem: 'checksum mismatch',
        detail: `stored ${digest.byteCount} bytes with SHA-256 ${sha256}; the manifest recorded ${object.size} bytes with ${object.sha256}`,
      })
    options.onChecked?.(object.key, ok)
  })
  problems.sort((a, b) => a.key.localeCompare(b.key))
  return {
    opportunities: Object.keys(manifest.opportunities).length,
    objects: objects.length,
    bytes,
    problems,
  }
}
