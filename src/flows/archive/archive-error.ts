// What stops an archive run, named so the command can say what to do about it. Messages are
// for the person running the command: they name the bucket, key or Salesforce error code,
// never a token.

export type ArchiveErrorCode =
  | 'ARCHIVE_USAGE'
  | 'S3_BUCKET_MISSING'
  | 'S3_ACCESS_DENIED'
  | 'S3_UNREACHABLE'
  | 'S3_ERROR'
  | 'SALESFORCE_REQUEST_LIMIT'
  | 'SALESFORCE_UNAVAILABLE'
  | 'SALESFORCE_UNREACHABLE'
  | 'SALESFORCE_ERROR'
  | 'FILE_CHECKSUM_MISMATCH'
  | 'MANIFEST_INVALID'
  | 'INTERRUPTED'

export class ArchiveError extends Error {
  override name = 'ArchiveError'
  readonly code: ArchiveErrorCode

  constructor(code: ArchiveErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
