// One event as the relay hands it to targets. The route body follows the shape Salesforce's
// streaming clients know (`schema`, `payload`, `event.replayId`, `event.EventUuid`), with the
// topic added; the Lambda target reshapes it as Event Relay delivers to Amazon EventBridge.

export interface RelayEvent {
  readonly subscription: string
  readonly topic: string
  readonly orgId: string
  /** Pub/Sub's `ProducerEvent.id`: the EventUuid, the idempotency key. */
  readonly eventUuid: string
  readonly replayId: Buffer
  readonly schemaId: string
  readonly payload: Record<string, unknown>
}

/** The event's API name: `/event/Order_Event__e` → `Order_Event__e`. */
export function eventNameOf(topic: string): string {
  return topic.slice(topic.lastIndexOf('/') + 1)
}

/** The JSON body a route target receives. */
export function routeBodyOf(event: RelayEvent): Record<string, unknown> {
  return {
    topic: event.topic,
    schema: event.schemaId,
    payload: event.payload,
    event: { replayId: event.replayId.toString('hex'), EventUuid: event.eventUuid },
  }
}

/** Epoch ms of CreatedDate, when the payload has one. */
export function createdAtOf(event: RelayEvent): number | undefined {
  const value = event.payload.CreatedDate
  return typeof value === 'number' ? value : undefined
}
