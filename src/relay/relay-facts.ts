import { channel } from 'node:diagnostics_channel'

/**
 * The relay's events for the gateway's metrics, on the channel they listen on (named, not
 * imported: the relay sits beside observability). Nothing is published while nobody listens,
 * as in `forcegate relay` alone.
 */
const facts = channel('forcegate:relay')

export type RelayOutcome = 'received' | 'duplicate' | 'delivered' | 'retried' | 'dead_lettered'

export function relayFact(subscription: string, outcome: RelayOutcome): void {
  if (facts.hasSubscribers) facts.publish({ subscription, outcome })
}
