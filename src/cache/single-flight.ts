/**
 * Collapses concurrent calls with the same key into one: the first caller runs the work,
 * the others await its promise. The entry is dropped as soon as the work settles, so a
 * failure is never cached here (callers decide what to cache).
 */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>()

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.#inFlight.get(key)
    if (existing !== undefined) return existing
    const promise = work().finally(() => {
      this.#inFlight.delete(key)
    })
    this.#inFlight.set(key, promise)
    return promise
  }

  get size(): number {
    return this.#inFlight.size
  }
}
