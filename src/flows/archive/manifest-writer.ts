import { MANIFEST_KEY } from './archive-layout.ts'
import { type Manifest, serializeManifest } from './archive-manifest.ts'
import type { ObjectStore } from './object-store.ts'

/**
 * Saves the manifest after each archived Opportunity, so an interrupted run resumes where it
 * stopped. Saves never overlap, and requests made while one is running share the next one:
 * a run writes the manifest about as often as the store can take it, not once per request.
 */
export class ManifestWriter {
  readonly #store: ObjectStore
  readonly #manifest: Manifest
  readonly #now: () => Date
  #running: Promise<void> = Promise.resolve()
  #queued: Promise<void> | undefined
  writes = 0

  constructor(store: ObjectStore, manifest: Manifest, now: () => Date) {
    this.#store = store
    this.#manifest = manifest
    this.#now = now
  }

  /** Resolves once a save that includes every change made before this call is stored. */
  save(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued
    const queued = this.#running
      .catch(() => {})
      .then(() => {
        this.#queued = undefined
        this.#manifest.updatedAt = this.#now().toISOString()
        this.writes++
        return this.#store.put(MANIFEST_KEY, serializeManifest(this.#manifest), 'application/json')
      })
    this.#queued = queued
    this.#running = queued
    return queued
  }
}
