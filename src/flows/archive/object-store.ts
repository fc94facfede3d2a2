import type { Readable } from 'node:stream'

/**
 * Where archive objects are written and read back, keys relative to the archive's prefix:
 * an S3 bucket or a local folder with the same layout.
 */
export interface ObjectStore {
  /** The object's text, or undefined when there is none at that key. */
  readText(key: string): Promise<string | undefined>
  /** The object's bytes as a stream, or undefined when there is none at that key. */
  openRead(key: string): Promise<Readable | undefined>
  /** Writes the object whole: a reader never sees part of it. An abort leaves nothing behind. */
  put(key: string, body: Readable | Buffer, contentType: string, signal?: AbortSignal): Promise<void>
}
