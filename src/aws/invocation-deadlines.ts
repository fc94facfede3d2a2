import { performance } from 'node:perf_hooks'

/** One running invocation's deadline, linked in the order invocations of its length started. */
interface Entry {
  readonly at: number
  readonly expire: () => void
  prev: Entry | undefined
  next: Entry | undefined
}

/**
 * The deadlines of running invocations that share one timeout length. Invocations of the same
 * length end in the order they started, so the first in the list is always the next to expire,
 * and one Node timer, armed for it, serves them all: an invocation costs a list node, not a
 * timer of its own (creating and clearing one per call was a measurable part of every
 * invocation). An empty list leaves its timer armed but unreferenced, so it never holds the
 * process open, and the next invocation reuses it.
 */
class DeadlineList {
  readonly #ms: number
  #head: Entry | undefined
  #tail: Entry | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(ms: number) {
    this.#ms = ms
  }

  add(expire: () => void): Entry {
    const entry: Entry = { at: performance.now() + this.#ms, expire, prev: this.#tail, next: undefined }
    if (this.#tail === undefined) this.#head = entry
    else this.#tail.next = entry
    this.#tail = entry
    // An armed timer is due no later than this deadline: the entries before it started earlier.
    if (this.#timer === undefined) this.#arm(this.#ms)
    else if (entry === this.#head) this.#timer.ref()
    return entry
  }

  remove(entry: Entry): void {
    const { prev, next } = entry
    // Already expired (or removed): its links are gone and it is no longer the head.
    if (prev === undefined && next === undefined && this.#head !== entry) return
    if (prev === undefined) this.#head = next
    else prev.next = next
    if (next === undefined) this.#tail = prev
    else next.prev = prev
    entry.prev = undefined
    entry.next = undefined
    if (this.#head === undefined) this.#timer?.unref()
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(ms)))
  }

  #fire(): void {
    this.#timer = undefined
    const now = performance.now()
    while (this.#head !== undefined && this.#head.at <= now) {
      const entry = this.#head
      this.remove(entry)
      entry.expire()
    }
    if (this.#head !== undefined) this.#arm(this.#head.at - now)
  }
}

/** Deadlines of running invocations, one list (and one timer) per timeout length. */
export class InvocationDeadlines {
  readonly #lists = new Map<number, DeadlineList>()

  /** Calls `expire` once `timeoutMs` have passed, unless the returned cancel is called first. */
  start(timeoutMs: number, expire: () => void): () => void {
    let list = this.#lists.get(timeoutMs)
    if (list === undefined) {
      list = new DeadlineList(timeoutMs)
      this.#lists.set(timeoutMs, list)
    }
    const entry = list.add(expire)
    const owner = list
    return () => owner.remove(entry)
  }
}
