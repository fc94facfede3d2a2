// One subscription's life: subscribe from the checkpoint (or the configured start), ask for at
// most `batchSize` events at a time, deliver each to the target with retries, and only then
// move the checkpoint. A dropped stream reconnects with backoff; a refused token is renewed; a
// replay id the org refuses is handled as configuration says, and said loudly. Before it
// subscribes, the runner claims the subscription in the store: relays sharing one store take
// turns, and one whose claim ends (its connection to the store dropped) stops and claims again.

import { setTimeout as sleepFor } from 'node:timers/promises'
import type { SubscriptionConfig } from '../config/relay-schema.ts'
import type { EventDecoder } from './event-decoder.ts'
import { type DeliveryContext, deliverEvent, Stopping, SubscriptionFailed } from './event-delivery.ts'
import { OrgTokenError } from './org-session.ts'
import type { FetchRequest, FetchResponse, PubSubAuth, SubscribeStream } from './pubsub-client.ts'
import { classifyFailure, describeFailure } from './pubsub-failure.ts'
import type { RelayStore, SubscriptionClaim, SubscriptionState } from './relay-store.ts'
import type { RelayTarget } from './relay-target.ts'
import { retryDelayMs } from './retry-delay.ts'

export interface RelayLog {
  info(entry: object, msg: string): void
  warn(entry: object, msg: string): void
  error(entry: object, msg: string): void
}

export interface RunnerDeps {
  readonly config: SubscriptionConfig
  readonly subscribe: (auth: PubSubAuth) => SubscribeStream
  readonly auth: () => Promise<PubSubAuth>
  readonly invalidateAuth: () => void
  readonly decoder: EventDecoder
  readonly store: RelayStore
  readonly target: RelayTarget
  readonly log: RelayLog
  readonly clock: () => number
  readonly random?: () => number
  /** Backoff between reconnects. */
  readonly reconnect?: { readonly baseDelayMs: number; readonly maxDelayMs: number }
}

/** The store ended this runner's claim: another relay may run the subscription now. */
class ClaimLost extends Error {
  override name = 'ClaimLost'
}

const DEFAULT_RECONNECT = { baseDelayMs: 250, maxDelayMs: 15_000 }

export class SubscriptionRunner {
  readonly #d: RunnerDeps
  readonly #name: string
  readonly #abort = new AbortController()
  #stream: SubscribeStream | undefined
  #stopping = false
  /** Set when the org refused the checkpoint and configuration chose where to start instead. */
  #startOverride: 'EARLIEST' | 'LATEST' | undefined
  #done: Promise<'stopped' | 'failed'> | undefined
  /** The org id of the current credentials (the EventBridge `source` of Lambda targets). */
  #tenant = ''
  #claim: SubscriptionClaim | undefined
  /** Set when the claim ended while a stream was open: its events are left for the next owner. */
  #lost: ClaimLost | undefined
  /**
   * A delivery the target accepted but the store did not record (it stopped answering): kept
   * and recorded before the next subscribe, so the event that comes again is skipped by its key
   * (a checkpoint this moves back only replays events the ledger skips).
   */
  #unrecorded: Parameters<RelayStore['recordDelivered']> | undefined

  constructor(deps: RunnerDeps) {
    this.#d = deps
    this.#name = deps.config.name
  }

  get name(): string {
    return this.#name
  }

  /** Resolves when the runner ends: `stopped` by stop(), `failed` on a condition retries cannot fix. */
  start(): Promise<'stopped' | 'failed'> {
    this.#done ??= this.#loop()
    return this.#done
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.#abort.abort()
    this.#stream?.cancel()
    await this.#done
  }

  /**
   * The status is for people reading it: a store that cannot take it now does not stop the
   * relay. Only the relay running the subscription writes it (a store may be shared).
   */
  async #state(state: SubscriptionState, error: string | null = null): Promise<void> {
    if (this.#claim === undefined) return
    try {
      await this.#d.store.setState(this.#name, state, error)
    } catch (err) {
      this.#d.log.warn(
        { relay: this.#name, err: (err as Error).message },
        'relay store did not take the state',
      )
    }
  }

  /** Waits for this runner's turn on the subscription (at once unless another relay holds it). */
  async #claimed(): Promise<SubscriptionClaim> {
    if (this.#claim !== undefined) return this.#claim
    let waited = false
    this.#claim = await this.#d.store.claim(this.#name, this.#abort.signal, () => {
      waited = true
      this.#d.log.info({ relay: this.#name }, 'another relay runs this subscription; standing by')
    })
    if (waited) this.#d.log.info({ relay: this.#name }, 'this relay runs the subscription now')
    const claim = this.#claim
    claim.onLost((error) => {
      if (this.#claim !== claim) return
      this.#claim = undefined
      this.#d.log.warn({ relay: this.#name, err: error.message }, 'relay store claim ended; claiming again')
    })
    await this.#state('starting')
    return claim
  }

  async #loop(): Promise<'stopped' | 'failed'> {
    try {
      return await this.#run()
    } finally {
      // Stopped or failed, this relay no longer runs the subscription: another may.
      await this.#claim?.release().catch(() => {})
      this.#claim = undefined
    }
  }

  async #run(): Promise<'stopped' | 'failed'> {
    const policy = this.#d.reconnect ?? DEFAULT_RECONNECT
    let failures = 0
    let authRenewed = false
    while (!this.#stopping) {
      try {
        const claim = await this.#claimed()
        if (this.#unrecorded !== undefined) {
          await this.#d.store.recordDelivered(...this.#unrecorded)
          this.#unrecorded = undefined
        }
        const auth = await this.#d.auth()
        // stop() may have come while the token was fetched: no stream is open yet to cancel.
        if (this.#stopping) break
        await this.#subscribeOnce(auth, claim, async () => {
          if (failures > 0 || authRenewed) this.#d.log.info({ relay: this.#name }, 'subscription resumed')
          failures = 0
          authRenewed = false
          // Written on every response, keepalives included: its time says the stream is alive.
          await this.#state('running')
        })
        if (this.#stopping) break
        // The org ended the stream without an error: open a new one.
        failures++
      } catch (err) {
        if (this.#stopping || err instanceof Stopping) break
        if (err instanceof SubscriptionFailed) {
          this.#d.log.error({ relay: this.#name, err: err.message }, 'subscription stopped')
          await this.#state('failed', err.message)
          return 'failed'
        }
        const kind = err instanceof OrgTokenError ? 'transient' : classifyFailure(err)
        const why = err instanceof OrgTokenError ? err.message : describeFailure(err)
        if (kind === 'auth' && !authRenewed) {
          // Tokens expire or get revoked: one renewal straight away, backoff if it fails again.
          this.#d.invalidateAuth()
          authRenewed = true
          this.#d.log.warn({ relay: this.#name, err: why }, 'the org refused the token; fetching a new one')
          continue
        }
        if (kind === 'auth') this.#d.invalidateAuth()
        if (kind === 'topic') {
          this.#d.log.error(
            { relay: this.#name, topic: this.#d.config.topic, err: why },
            'subscription stopped',
          )
          await this.#state('failed', why)
          return 'failed'
        }
        if (kind === 'lost-replay') {
          const checkpoint = await this.#d.store.checkpoint(this.#name).catch(() => undefined)
          const lost = checkpoint?.toString('hex') ?? this.#d.config.replayId ?? ''
          const choice = this.#d.config.onLostReplay
          if (choice === 'fail' || this.#startOverride !== undefined) {
            const message = `the org refused replay id ${lost} (${why}); events after it may be lost. Set onLostReplay to earliest or latest to resume, and reconcile`
            this.#d.log.error({ relay: this.#name, replayId: lost, onLostReplay: choice }, message)
            await this.#state('failed', message)
            return 'failed'
          }
          this.#startOverride = choice === 'earliest' ? 'EARLIEST' : 'LATEST'
          this.#d.log.error(
            { relay: this.#name, replayId: lost, onLostReplay: choice, err: why },
            `the org refused replay id ${lost}: resubscribing from ${choice} as configured; events between may be lost${choice === 'earliest' ? ' (already delivered ones are skipped by their EventUuid)' : ''}`,
          )
          continue
        }
        failures++
        const delay = retryDelayMs(failures, policy, this.#d.random)
        this.#d.log.warn(
          { relay: this.#name, err: why, retryInMs: delay },
          'subscription interrupted; reconnecting',
        )
        await this.#state('reconnecting', why)
        try {
          await sleepFor(delay, undefined, { signal: this.#abort.signal })
        } catch {
          break
        }
      }
    }
    await this.#state('stopped')
    return 'stopped'
  }

  /** The first FetchRequest: after the checkpoint when there is one, else where configuration says. */
  async #firstRequest(): Promise<FetchRequest> {
    const c = this.#d.config
    const base = { topicName: c.topic, numRequested: c.batchSize }
    if (this.#startOverride !== undefined) return { ...base, replayPreset: this.#startOverride }
    const checkpoint = await this.#d.store.checkpoint(this.#name)
    if (checkpoint !== undefined) return { ...base, replayPreset: 'CUSTOM', replayId: checkpoint }
    if (c.replay === 'custom' && c.replayId !== undefined)
      return { ...base, replayPreset: 'CUSTOM', replayId: Buffer.from(c.replayId, 'hex') }
    return { ...base, replayPreset: c.replay === 'earliest' ? 'EARLIEST' : 'LATEST' }
  }

  /** One Subscribe call; settles when it ends, after every event received was handled. */
  async #subscribeOnce(
    auth: PubSubAuth,
    claim: SubscriptionClaim,
    onResponse: () => Promise<void>,
  ): Promise<void> {
    // Read before the stream opens: a store that cannot answer is a reconnect, not a lost event.
    const first = await this.#firstRequest()
    if (this.#stopping) return
    this.#lost = undefined
    return new Promise((resolve, reject) => {
      this.#tenant = auth.tenantId
      const stream = this.#d.subscribe(auth)
      this.#stream = stream
      const queue: FetchResponse[] = []
      let ended: { error?: unknown } | undefined
      let busy = false
      let failed = false
      const unlisten = claim.onLost((error) => {
        this.#lost = new ClaimLost(
          `the relay store ended this relay's claim on the subscription (${error.message})`,
        )
        stream.cancel()
      })
      const finish = () => {
        if (failed || busy || ended === undefined || (queue.length > 0 && !this.#stopping && !this.#lost))
          return
        unlisten()
        if (this.#lost !== undefined && !this.#stopping) reject(this.#lost)
        else if (ended.error === undefined || this.#stopping) resolve()
        else reject(ended.error)
      }
      const pump = async () => {
        if (busy) return
        busy = true
        try {
          while (queue.length > 0 && !this.#stopping && this.#lost === undefined) {
            const response = queue.shift()!
            await onResponse()
            await this.#handleResponse(response, queue.length === 0)
            // Ask for as many as were handled: never more than batchSize outstanding.
            if (response.events.length > 0 && ended === undefined && !this.#stopping)
              stream.write({ numRequested: response.events.length })
          }
        } catch (err) {
          failed = true
          unlisten()
          stream.cancel()
          reject(this.#lost ?? err)
        } finally {
          busy = false
          finish()
        }
      }
      stream.on('data', (response: FetchResponse) => {
        queue.push(response)
        void pump()
      })
      stream.on('error', (error: unknown) => {
        ended = { error }
        finish()
      })
      stream.on('end', () => {
        ended ??= {}
        finish()
      })
      stream.write(first)
    })
  }

  async #handleResponse(response: FetchResponse, idle: boolean): Promise<void> {
    const d = this.#d
    const latest = response.latestReplayId
    if (latest !== undefined && latest.length > 0) await d.store.setLatestReplayId(this.#name, latest)
    if (response.events.length === 0) {
      // A keepalive while the org may still send (requests outstanding) and nothing is queued
      // here: every event up to its latest id was handled, so a restart may resume after it.
      if (idle && response.pendingNumRequested > 0 && latest !== undefined && latest.length > 0)
        await d.store.saveCheckpoint(this.#name, latest)
      return
    }
    const delivery: DeliveryContext = {
      subscription: this.#name,
      orgId: this.#tenant,
      config: d.config,
      decoder: d.decoder,
      store: d.store,
      target: d.target,
      log: d.log,
      clock: d.clock,
      ...(d.random === undefined ? {} : { random: d.random }),
      signal: this.#abort.signal,
      onUnrecorded: (outcome) => {
        this.#unrecorded = outcome
      },
    }
    for (const event of response.events) {
      if (this.#stopping) throw new Stopping()
      if (this.#lost !== undefined) throw this.#lost
      await deliverEvent(event, delivery)
    }
  }
}
