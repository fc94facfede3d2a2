import { createClient } from 'redis'
import type { ScriptClient } from './redis-usage-limiter.ts'

export interface RedisUsageClientOptions {
  readonly url: string
  /** Longest wait for one script's answer (sent or not) before `onStoreError` decides. */
  readonly commandTimeoutMs: number
  readonly onError?: (error: Error) => void
}

export interface RedisUsageClient extends ScriptClient {
  /** One PING within the command timeout: rejects while Redis cannot answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

/**
 * The limiter's Redis connection. Without an offline queue a command while disconnected fails
 * at once instead of waiting for a reconnect, and with `rejectInFlight` a sent command whose
 * answer does not come (a frozen server) fails at the timeout. The client reconnects by itself,
 * backing off to one attempt a second. Connecting starts here and is not awaited: a gateway
 * starts while Redis is down, and answers as configured until it is back.
 */
export function openRedisUsageClient(options: RedisUsageClientOptions): RedisUsageClient {
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs, rejectInFlight: true },
    socket: {
      connectTimeout: Math.max(options.commandTimeoutMs, 1000),
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
  })
  // Without a listener an 'error' event would throw; every failure also reaches the caller.
  client.on('error', (error: Error) => options.onError?.(error))
  client.connect().catch((error: Error) => options.onError?.(error))
  return {
    evalSha: (sha1, args) => client.evalSha(sha1, args),
    eval: (script, args) => client.eval(script, args),
    ping: async () => {
      await client.ping()
    },
    close: async () => {
      try {
        client.destroy()
      } catch {
        // Already closed.
      }
    },
  }
}
