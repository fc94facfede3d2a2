// The event a Lambda target receives: the envelope Salesforce's Event Relay delivers to Amazon
// EventBridge, so a function written for that path runs unchanged. Fields sit under
// `detail.payload`; `detail-type` is the event's API name; `source` names the partner event
// source (`aws.partner/salesforce.com/<orgId>/<channel>`, the subscription standing for the channel).

import { createdAtOf, eventNameOf, type RelayEvent } from './relay-event.ts'

export interface EventBridgeEnvelope {
  readonly version: '0'
  readonly id: string
  readonly 'detail-type': string
  readonly source: string
  readonly account: string
  readonly time: string
  readonly region: string
  readonly resources: readonly string[]
  readonly detail: {
    readonly payload: Record<string, unknown>
    readonly schemaId: string
    readonly id: string
    readonly replayId: string
  }
}

export function eventBridgeEventOf(
  event: RelayEvent,
  aws: { readonly accountId: string; readonly region: string },
  now: number,
): EventBridgeEnvelope {
  return {
    version: '0',
    id: event.eventUuid,
    'detail-type': eventNameOf(event.topic),
    source: `aws.partner/salesforce.com/${event.orgId}/${event.subscription}`,
    account: aws.accountId,
    time: new Date(createdAtOf(event) ?? now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: aws.region,
    resources: [],
    detail: {
      payload: event.payload,
      schemaId: event.schemaId,
      id: event.eventUuid,
      replayId: event.replayId.toString('hex'),
    },
  }
}
