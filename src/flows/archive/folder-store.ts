import { createWriteStream } from 'node:fs'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ObjectStore } from './object-store.ts'

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT'

/** A local folder laid out like the bucket: each key a file, written to a temporary name first. */
export class FolderStore implements ObjectStore {
  readonly #dir: string

  constructor(dir: string) {
    this.#dir = dir
  }

  #path(key: string): string {
    return join(this.#dir, ...key.split('/'))
  }

  async readText(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.#path(key), 'utf8')
    } catch (err) {
      if (isMissing(err)) return undefined
      throw err
    }
  }

  async openRead(key: string): Promise<Readable | undefined> {
    try {
      // Opened first so a missing file is an answer, not a stream error later.
      const handle = await open(this.#path(key), 'r')
      return handle.createReadStream()
    } catch (err) {
      if (isMissing(err)) return undefined
      throw err
    }
  }

  async put(key: string, body: Readable | Buffer, _contentType: string, signal?: AbortSignal): Promise<void> {
    const path = this.#path(key)
    await mkdir(dirname(path), { recursive: true })
    const partial = `${path}.partial-${process.pid}`
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(partial), {
        ...(signal === undefined ? {} : { signal }),
      })
      await rename(partial, path)
    } catch (err) {
      await rm(partial, { force: true })
      throw err
    }
  }
}
