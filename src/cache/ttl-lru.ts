/** Milliseconds since the epoch; injected so that tests control time. */
export type Clock = () => number

export const systemClock: Clock = Date.now

interface Entry<V> {
  value: V
  expiresAt: number
}

/**
 * A bounded map whose entries expire. Map insertion order doubles as recency order: a hit
 * re-inserts the entry, and eviction removes the oldest key, so every operation is O(1).
 */
export class TtlLru<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #maxEntries: number
  readonly #clock: Clock

  constructor(maxEntries: number, clock: Clock = systemClock) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be a positive integer')
    this.#maxEntries = maxEntries
    this.#clock = clock
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.#clock()) {
      this.#entries.delete(key)
      return undefined
    }
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.value
  }

  /** Stores `value` for `ttlMs`; a non-positive TTL stores nothing. */
  set(key: string, value: V, ttlMs: number): void {
    if (!(ttlMs > 0)) return
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAt: this.#clock() + ttlMs })
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  get size(): number {
    return this.#entries.size
  }
}
