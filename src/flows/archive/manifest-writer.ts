import { setTimeout as sleep } from 'node:timers/promises'
import { MANIFEST_KEY } from './archive-layout.ts'
import { type Manifest, serializeManifest } from './archive-manifest.ts'
import type { ObjectStore } from './object-store.ts'

const LARGE_MANIFEST = 256 * 1024
const SPACING_MS = 2000

/**
 * Saves the manifest after each archived Opportunity, so an interrupted run resumes where it
 * stopped. Saves never overlap, and requests made while one is running (or waiting: a large
 * manifest is written every few seconds at most) share the next one.
 */
export class ManifestWriter {
  readonly #store: ObjectStore
  readonly #manifest: Manifest
  readonly #now: () => Date
  readonly #sleep: (ms: number) => Promise<unknown>
  #running: Promise<void> = Promise.resolve()
  #queued: Promise<void> | undefined
  #lastStart = 0
  #lastSize = 0

  constructor(
    store: ObjectStore,
    manifest: Manifest,
    now: () => Date,
    wait: (ms: number) => Promise<unknown> = sleep,
  ) {
    this.#store = store
    this.#manifest = manifest
    this.#now = now
    this.#sleep = wait
  }

  /** Resolves once a save that includes every change made before this call is stored. */
  save(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued
    const queued = this.#running
      .catch(() => {})
      .then(async () => {
        // A large manifest is written at most every few seconds: each write carries it whole.
        const gap = this.#lastSize > LARGE_MANIFEST ? this.#lastStart + SPACING_MS - this.#now().getTime() : 0
        if (gap > 0) await this.#sleep(gap)
        this.#queued = undefined
        this.#lastStart = this.#now().getTime()
        this.#manifest.updatedAt = this.#now().toISOString()
        const bytes = serializeManifest(this.#manifest)
        this.#lastSize = bytes.length
        return this.#store.put(MANIFEST_KEY, bytes, 'application/json')
      })
    this.#queued = queued
    this.#running = queued
    return queued
  }
}
