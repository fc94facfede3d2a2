import type { Readable } from 'node:stream'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { ArchiveError } from './archive-error.ts'
import type { ObjectStore } from './object-store.ts'

/** Files stream in parts of this size; one part or less is a single PutObject. */
const PART_SIZE = 8 * 1024 * 1024
const PARTS_IN_FLIGHT = 2

export interface S3StoreOptions {
  readonly bucket: string
  readonly prefix: string
  /** An S3-compatible endpoint; path-style addressing then, as such servers expect. */
  readonly endpoint?: string
  /** Built from these options when absent (tests hand in their own). */
  readonly client?: S3Client
}

/**
 * The bucket through the AWS SDK with its defaults (region and credentials from the
 * environment, CRC32 checksums on uploads); large bodies go up as multipart uploads.
 */
export class S3Store implements ObjectStore {
  readonly #bucket: string
  readonly #prefix: string
  readonly #client: S3Client
  readonly #where: string

  constructor(options: S3StoreOptions) {
    this.#bucket = options.bucket
    this.#prefix = options.prefix === '' ? '' : `${options.prefix}/`
    this.#client =
      options.client ??
      new S3Client(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true })
    this.#where = options.endpoint === undefined ? 'S3' : `the S3 endpoint ${options.endpoint}`
  }

  #key(key: string): string {
    return this.#prefix + key
  }

  async readText(key: string): Promise<string | undefined> {
    const body = await this.openRead(key)
    if (body === undefined) return undefined
    let text = ''
    for await (const chunk of body) text += String(chunk)
    return text
  }

  async openRead(key: string): Promise<Readable | undefined> {
    try {
      const res = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }))
      return res.Body as Readable
    } catch (err) {
      if ((err as Error).name === 'NoSuchKey') return undefined
      throw this.#failure(err, key)
    }
  }

  async put(key: string, body: Readable | Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) throw new ArchiveError('INTERRUPTED', 'interrupted')
    const params = { Bucket: this.#bucket, Key: this.#key(key), Body: body, ContentType: contentType }
    try {
      if (Buffer.isBuffer(body)) {
        await this.#client.send(
          new PutObjectCommand(params),
          signal === undefined ? {} : { abortSignal: signal },
        )
        return
      }
      const upload = new Upload({
        client: this.#client,
        params,
        partSize: PART_SIZE,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      })
      // Aborting a multipart upload asks S3 to drop the parts sent so far.
      const abort = () => void upload.abort().catch(() => {})
      signal?.addEventListener('abort', abort, { once: true })
      try {
        await upload.done()
      } finally {
        signal?.removeEventListener('abort', abort)
      }
    } catch (err) {
      if (!Buffer.isBuffer(body)) body.destroy()
      throw this.#failure(err, key)
    }
  }

  /** The SDK's error as the user needs it: which bucket, and what to do. */
  #failure(err: unknown, key: string): Error {
    if (err instanceof ArchiveError) return err
    if ((err as Error).name === 'AbortError') return new ArchiveError('INTERRUPTED', 'interrupted')
    const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } }
    const at = `s3://${this.#bucket}/${this.#key(key)}`
    if (e.name === 'NoSuchBucket')
      return new ArchiveError(
        'S3_BUCKET_MISSING',
        `the bucket '${this.#bucket}' does not exist (${this.#where})`,
      )
    if (e.name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403)
      return new ArchiveError(
        'S3_ACCESS_DENIED',
        `access denied writing or reading ${at}: ${e.name}: ${e.message}; check the credentials and the bucket policy`,
      )
    const network = e.code ?? (e.cause as { code?: string } | undefined)?.code
    if (
      network !== undefined &&
      /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/.test(network)
    )
      return new ArchiveError('S3_UNREACHABLE', `${this.#where} cannot be reached (${network}) at ${at}`)
    if (/region is missing/i.test(e.message))
      return new ArchiveError('S3_ERROR', 'no AWS region: set AWS_REGION, or a region in the AWS profile')
    if (e.name === 'TimeoutError')
      return new ArchiveError('S3_UNREACHABLE', `${this.#where} did not answer in time at ${at}`)
    return new ArchiveError('S3_ERROR', `S3 answered ${e.name}: ${e.message} at ${at}`)
  }
}
