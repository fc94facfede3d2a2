import { resolve } from 'node:path'
import { ArchiveError } from './archive-error.ts'

/** Where an archive lives: a bucket and key prefix, or a local folder laid out the same way. */
export type ArchiveTarget =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'folder'; readonly dir: string }

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** `s3://bucket/prefix` or a folder path (relative to `cwd`). */
export function parseArchiveTarget(to: string, cwd: string): ArchiveTarget {
  if (!to.startsWith('s3://')) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(to))
      throw new ArchiveError('ARCHIVE_USAGE', `--to takes s3://bucket/prefix or a folder, not ${to}`)
    return { kind: 'folder', dir: resolve(cwd, to) }
  }
  const rest = to.slice('s3://'.length)
  const slash = rest.indexOf('/')
  const bucket = slash === -1 ? rest : rest.slice(0, slash)
  if (!BUCKET.test(bucket)) throw new ArchiveError('ARCHIVE_USAGE', `'${bucket}' is not an S3 bucket name`)
  const prefix = (slash === -1 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '')
  return { kind: 's3', bucket, prefix }
}

export function describeTarget(target: ArchiveTarget): string {
  if (target.kind === 'folder') return target.dir
  return `s3://${target.bucket}/${target.prefix}${target.prefix === '' ? '' : '/'}`
}
