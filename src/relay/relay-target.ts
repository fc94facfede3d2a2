import type { RelayEvent } from './relay-event.ts'

/** Where a subscription's events go. Resolves when the target accepted the event. */
export interface RelayTarget {
  deliver(event: RelayEvent): Promise<void>
  /** For status and logs: `POST /orders/events` or `lambda order-sink`. */
  readonly description: string
}

/**
 * A target's refusal. `permanent` ones (a 4xx other than 408/429) go to the dead-letter store
 * at once: repeating the same request cannot change the answer.
 */
export class TargetFailure extends Error {
  readonly permanent: boolean
  constructor(message: string, permanent = false) {
    super(message)
    this.name = 'TargetFailure'
    this.permanent = permanent
  }
}

/** The header carrying the EventUuid: the gateway strips client x-forcegate-* headers, not this. */
export const IDEMPOTENCY_HEADER = 'idempotency-key'
