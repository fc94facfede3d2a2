import type { ServerResponse } from 'node:http'

/**
 * What serves requests, replaceable while they flow: a request keeps the generation it entered
 * with to its end, new requests get the newest, and a replaced generation is closed once its
 * last request has left, so a reload drops nothing in flight.
 */
export interface ServingGenerations<T> {
  /** Runs one request with the newest generation, which it keeps until its response closes. */
  serve(res: ServerResponse, run: (value: T) => Promise<void>): Promise<void>
  /** Serves `next` from now on; the previous generation is closed after its last request. */
  replace(next: T): void
  current(): T
  /** Resolves once every replaced generation is closed. */
  retired(): Promise<void>
}

interface Generation<T> {
  readonly value: T
  inFlight: number
  retire: (() => void) | undefined
}

export function servingGenerations<T>(first: T, close: (value: T) => Promise<void>): ServingGenerations<T> {
  let current: Generation<T> = { value: first, inFlight: 0, retire: undefined }
  const closing = new Set<Promise<void>>()
  return {
    serve(res, run) {
      const generation = current
      generation.inFlight++
      res.once('close', () => {
        if (--generation.inFlight === 0) generation.retire?.()
      })
      return run(generation.value)
    },
    replace(next) {
      const previous = current
      current = { value: next, inFlight: 0, retire: undefined }
      const drained =
        previous.inFlight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => (previous.retire = resolve))
      const closed = drained.then(() => close(previous.value))
      closing.add(closed)
      void closed.finally(() => closing.delete(closed)).catch(() => {})
    },
    current: () => current.value,
    retired: async () => {
      await Promise.all(closing)
    },
  }
}
