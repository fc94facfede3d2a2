import { createHash, type Hash } from 'node:crypto'
import { PassThrough, type TransformCallback } from 'node:stream'

/** Passes bytes through unchanged while counting them and hashing them (SHA-256 and MD5). */
export class DigestStream extends PassThrough {
  readonly #sha256: Hash = createHash('sha256')
  readonly #md5: Hash = createHash('md5')
  // Not `size`: the SDK reads a body's `size` as its length before it is streamed.
  byteCount = 0

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    this.#sha256.update(chunk)
    this.#md5.update(chunk)
    this.byteCount += chunk.length
    super._transform(chunk, encoding, callback)
  }

  /** Once the stream has ended: the hex digests of everything that passed. */
  digests(): { sha256: string; md5: string } {
    return { sha256: this.#sha256.digest('hex'), md5: this.#md5.digest('hex') }
  }
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}
