import { Pool } from 'undici'

/**
 * One keep-alive pool per upstream origin and timeout, shared by every route that proxies
 * there: ten thousand routes to one backend hold one pool, not ten thousand.
 */
export class UpstreamPools {
  readonly #pools = new Map<string, Pool>()

  get(origin: string, timeoutMs: number): Pool {
    const key = `${origin} ${timeoutMs}`
    let pool = this.#pools.get(key)
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: 128,
        pipelining: 1,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: Math.min(timeoutMs, 10_000),
      })
      this.#pools.set(key, pool)
    }
    return pool
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map((p) => p.close()))
  }
}
