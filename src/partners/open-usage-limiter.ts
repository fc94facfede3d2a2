import type { Clock } from '../cache/ttl-lru.ts'
import { resolveSecret } from '../config/secret-ref.ts'
import type { RedisStoreConfig } from '../config/stores-schema.ts'
import { openRedisUsageClient } from './redis-usage-client.ts'
import { RedisUsageLimiter, type StoreErrorEvent } from './redis-usage-limiter.ts'
import { InProcessUsageLimiter, type UsageLimiter } from './usage-limiter.ts'

export interface OpenedUsageLimiter {
  readonly limiter: UsageLimiter
  /** The shared store's name when it cannot answer now and requests are refused for it (readiness). */
  probe(): Promise<string | undefined>
  close(): Promise<void>
}

export interface OpenUsageLimiterOptions {
  readonly file: string
  readonly env: NodeJS.ProcessEnv
  readonly maxKeys: number
  readonly clock?: Clock
  /** Redis failing and recovering, for the log. */
  readonly onStoreEvent?: (event: StoreErrorEvent) => void
}

/** The usage limiter the configuration selects: Redis when `stores.redis` is set, else this process. */
export function openUsageLimiter(
  redis: RedisStoreConfig | undefined,
  options: OpenUsageLimiterOptions,
): OpenedUsageLimiter {
  const local = new InProcessUsageLimiter({
    maxKeys: options.maxKeys,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  if (redis === undefined) return { limiter: local, probe: async () => undefined, close: async () => {} }
  const url = resolveSecret(redis.url, options.file, '/stores/redis/url', options.env)
  // Connection errors repeat while Redis is away; the limiter reports the transitions once.
  const client = openRedisUsageClient({ url, commandTimeoutMs: redis.commandTimeoutMs })
  const limiter = new RedisUsageLimiter({
    client,
    onStoreError: redis.onStoreError,
    instances: redis.instances,
    retryAfterSeconds: redis.retryAfterSeconds,
    prefix: redis.keyPrefix,
    local,
    ...(options.onStoreEvent === undefined ? {} : { onStateChange: options.onStoreEvent }),
  })
  const probe = async (): Promise<string | undefined> => {
    // In local mode an instance without Redis still serves (at its share of each plan): taking
    // every instance out of a load balancer at once would turn that into a full outage.
    if (redis.onStoreError === 'local') return undefined
    try {
      await client.ping()
      return undefined
    } catch {
      // The name only: readiness is public, and the limiter already logs the cause.
      return 'redis'
    }
  }
  return { limiter, probe, close: () => client.close() }
}
