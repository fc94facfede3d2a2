// One event's way to its target: skipped when its EventUuid already succeeded, decoded,
// delivered with retries (backoff and jitter), then recorded with the checkpoint in one
// transaction, or kept as a dead letter (or the subscription stops before it, as configured).

import { setTimeout as sleepFor } from 'node:timers/promises'
import type { SubscriptionConfig } from '../config/relay-schema.ts'
import type { EventDecoder } from './event-decoder.ts'
import type { ConsumerEvent } from './pubsub-client.ts'
import { createdAtOf, type RelayEvent, routeBodyOf } from './relay-event.ts'
import { relayFact } from './relay-facts.ts'
import type { RelayStore } from './relay-store.ts'
import { type RelayTarget, TargetFailure } from './relay-target.ts'
import { retryDelayMs } from './retry-delay.ts'
import type { RelayLog } from './subscription-runner.ts'

/** A condition no retry fixes: the subscription stops in state `failed`. */
export class SubscriptionFailed extends Error {
  override name = 'SubscriptionFailed'
}

/** The runner is stopping: the event in hand stays before the checkpoint and comes again. */
export class Stopping extends Error {}

export interface DeliveryContext {
  readonly subscription: string
  /** The org id of the current credentials (the EventBridge `source` of Lambda targets). */
  readonly orgId: string
  readonly config: SubscriptionConfig
  readonly decoder: EventDecoder
  readonly store: RelayStore
  readonly target: RelayTarget
  readonly log: RelayLog
  readonly clock: () => number
  readonly random?: () => number
  /** Aborted when the runner stops: a retry's wait ends with it. */
  readonly signal: AbortSignal
  /** The target accepted the event but the store did not take the record: kept for later. */
  readonly onUnrecorded: (outcome: Parameters<RelayStore['recordDelivered']>) => void
}

/** Delivers one event as the subscription's configuration says; throws what ends the stream. */
export async function deliverEvent(ce: ConsumerEvent, c: DeliveryContext): Promise<void> {
  const uuid = ce.event.id
  const replayHex = ce.replayId.toString('hex')
  relayFact(c.subscription, 'received')
  if (await c.store.wasDelivered(c.subscription, uuid)) {
    await c.store.recordDuplicate(c.subscription, ce.replayId)
    relayFact(c.subscription, 'duplicate')
    c.log.info(
      { relay: c.subscription, eventUuid: uuid, replayId: replayHex, outcome: 'duplicate' },
      'relay event',
    )
    return
  }
  let payload: Record<string, unknown>
  try {
    payload = await c.decoder.decode(ce.event.schemaId, ce.event.payload)
  } catch (err) {
    // A schema the org would not give is the stream's problem (reconnect); a payload that
    // does not decode with its own schema never will: it goes to the dead letters as bytes.
    if (
      (err as { code?: unknown }).code !== undefined &&
      typeof (err as { code?: unknown }).code === 'number'
    )
      throw err
    payload = { undecodable: ce.event.payload.toString('base64') }
    return deadLetter(c, eventOf(c, ce, payload), `payload does not decode: ${(err as Error).message}`, 1)
  }
  const event = eventOf(c, ce, payload)
  const { maxAttempts } = c.config.retry
  for (let attempt = 1; ; attempt++) {
    try {
      await c.target.deliver(event)
    } catch (err) {
      const permanent = err instanceof TargetFailure && err.permanent
      const why = (err as Error).message
      if (permanent || attempt >= maxAttempts) return deadLetter(c, event, why, attempt)
      const delay = retryDelayMs(attempt, c.config.retry, c.random)
      relayFact(c.subscription, 'retried')
      c.log.warn(
        { relay: c.subscription, eventUuid: uuid, attempt, retryInMs: delay, err: why },
        'relay delivery failed',
      )
      try {
        await sleepFor(delay, undefined, { signal: c.signal })
      } catch {
        // Stopping mid-retry: the checkpoint stays before this event, which comes again.
        throw new Stopping()
      }
      continue
    }
    const created = createdAtOf(event)
    const lagMs = created === undefined ? null : Math.max(0, c.clock() - created)
    const outcome: Parameters<RelayStore['recordDelivered']> = [
      c.subscription,
      uuid,
      ce.replayId,
      lagMs,
      attempt - 1,
    ]
    try {
      await c.store.recordDelivered(...outcome)
    } catch (err) {
      c.onUnrecorded(outcome)
      throw err
    }
    relayFact(c.subscription, 'delivered')
    c.log.info(
      {
        relay: c.subscription,
        eventUuid: uuid,
        replayId: replayHex,
        outcome: 'delivered',
        attempts: attempt,
        lagMs,
        target: c.target.description,
      },
      'relay event',
    )
    return
  }
}

function eventOf(c: DeliveryContext, ce: ConsumerEvent, payload: Record<string, unknown>): RelayEvent {
  return {
    subscription: c.subscription,
    topic: c.config.topic,
    orgId: c.orgId,
    eventUuid: ce.event.id,
    replayId: ce.replayId,
    schemaId: ce.event.schemaId,
    payload,
  }
}

async function deadLetter(
  c: DeliveryContext,
  event: RelayEvent,
  error: string,
  attempts: number,
): Promise<void> {
  if (c.config.deadLetter === 'stop') {
    throw new SubscriptionFailed(
      `event ${event.eventUuid} failed ${attempts} time(s) (${error}); deadLetter is stop, so the subscription stops before it`,
    )
  }
  await c.store.recordDeadLetter(c.subscription, {
    eventUuid: event.eventUuid,
    replayId: event.replayId,
    event: { ...routeBodyOf(event), orgId: event.orgId },
    error,
    attempts,
  })
  relayFact(c.subscription, 'dead_lettered')
  c.log.error(
    {
      relay: c.subscription,
      eventUuid: event.eventUuid,
      replayId: event.replayId.toString('hex'),
      outcome: 'dead-lettered',
      attempts,
      err: error,
    },
    'relay event',
  )
}
