import pg from 'pg'
import { PARTNER_CHANNEL } from '../store/postgres-migrations.ts'
import type { PartnerChange } from '../store/postgres-partner-shapes.ts'

/** What the feed reads from the store besides notifications. */
export interface PartnerChangeSource {
  latestVersion(): Promise<number>
  changesSince(version: number): Promise<readonly PartnerChange[]>
}

/** What the feed tells the caches. */
export interface PartnerChangeSink {
  dropPartner(partnerId: string): void
  clear(): void
}

export type PartnerFeedEvent =
  | { readonly kind: 'listening' }
  | { readonly kind: 'lost'; readonly error: string }
  | { readonly kind: 'poll-failed'; readonly error: string }

export interface PartnerChangeFeedOptions {
  readonly url: string
  readonly source: PartnerChangeSource
  readonly sink: PartnerChangeSink
  /** The backstop: every instance asks for changed versions this often. */
  readonly pollMs: number
  readonly connectTimeoutMs: number
  readonly onEvent?: (event: PartnerFeedEvent) => void
}

const MAX_RECONNECT_MS = 2000

/**
 * Brings other instances' partner changes into this one. A dedicated connection LISTENs for the
 * NOTIFY each change sends at commit (typically milliseconds); since a connection that is down
 * misses notifications for good, every (re)connection clears the caches, and a poll of versions
 * newer than the last seen backs it all up. A poll that fails clears the caches too, so nothing
 * cached outlives the poll interval while the store cannot say what changed.
 */
export class PartnerChangeFeed {
  readonly #options: PartnerChangeFeedOptions
  #client: pg.Client | undefined
  #lastVersion = 0
  #poller: NodeJS.Timeout | undefined
  #retry: NodeJS.Timeout | undefined
  #retryMs = 100
  #closed = false
  #polling = false

  constructor(options: PartnerChangeFeedOptions) {
    this.#options = options
  }

  /** Resolves once listening; a failure to connect now is retried in the background. */
  async start(): Promise<void> {
    this.#poller = setInterval(() => void this.#poll(), this.#options.pollMs)
    this.#poller.unref()
    await this.#connect()
  }

  async #connect(): Promise<void> {
    if (this.#closed) return
    const client = new pg.Client({
      connectionString: this.#options.url,
      connectionTimeoutMillis: this.#options.connectTimeoutMs,
      // Dead peers (a frozen or vanished server) are noticed, not waited on forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 1000,
    })
    const lost = (error: Error | undefined) => {
      if (this.#client !== client) return
      this.#client = undefined
      client.removeAllListeners('notification')
      void client.end().catch(() => {})
      this.#options.onEvent?.({ kind: 'lost', error: error?.message ?? 'connection ended' })
      this.#scheduleReconnect()
    }
    client.on('error', lost)
    client.on('end', () => lost(undefined))
    client.on('notification', (message) => this.#notified(message.payload))
    this.#client = client
    try {
      await client.connect()
      await client.query(`LISTEN ${PARTNER_CHANNEL}`)
      // Listening from here on; what changed before is unknown, so nothing cached is kept.
      const latest = await this.#options.source.latestVersion()
      this.#lastVersion = Math.max(this.#lastVersion, latest)
      this.#options.sink.clear()
      this.#retryMs = 100
      this.#options.onEvent?.({ kind: 'listening' })
    } catch (error) {
      lost(error as Error)
    }
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retry !== undefined) return
    const delay = this.#retryMs
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RECONNECT_MS)
    this.#retry = setTimeout(() => {
      this.#retry = undefined
      void this.#connect()
    }, delay)
    this.#retry.unref()
  }

  #notified(payload: string | undefined): void {
    const change = parseChange(payload)
    if (change === undefined) {
      this.#options.sink.clear()
      return
    }
    this.#options.sink.dropPartner(change.partnerId)
    this.#lastVersion = Math.max(this.#lastVersion, change.version)
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.#closed) return
    this.#polling = true
    try {
      const changes = await this.#options.source.changesSince(this.#lastVersion)
      for (const change of changes) {
        this.#options.sink.dropPartner(change.partnerId)
        this.#lastVersion = Math.max(this.#lastVersion, change.version)
      }
    } catch (error) {
      this.#options.sink.clear()
      this.#options.onEvent?.({ kind: 'poll-failed', error: (error as Error).message })
    } finally {
      this.#polling = false
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#poller)
    clearTimeout(this.#retry)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }
}

function parseChange(payload: string | undefined): PartnerChange | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Partial<PartnerChange>
    if (typeof value.partnerId === 'string' && typeof value.version === 'number')
      return { partnerId: value.partnerId, version: value.version }
  } catch {}
  return undefined
}
