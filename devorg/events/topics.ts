// The org's event channels: one `/event/<Name>__e` topic per platform event in the seed, and
// for the objects selected for Change Data Capture one `/data/<Object>ChangeEvent` topic each
// plus `/data/ChangeEvents`, which carries them all. Topic names are matched exactly, as
// Salesforce matches them.

import type { ObjectDef, Schema } from '../rest/sobject-schema.ts'
import { codecFor, type EventCodec, platformEventSchema } from './avro-schema.ts'
import { CHANGE_EVENTS_TOPIC, changeEventSchema, changeEventTopicName } from './change-events.ts'

export type Topic = {
  name: string
  object: ObjectDef
  /** The current schema; events published earlier keep the one they were written with. */
  codec: EventCodec
  canPublish: boolean
  canSubscribe: boolean
  /** Change events are the org's to publish: clients only subscribe. */
  changeEvents?: boolean
}

export function platformEventTopicName(objectName: string): string {
  return `/event/${objectName}`
}

export function buildTopics(schema: Schema): Map<string, Topic> {
  const topics = new Map<string, Topic>()
  for (const obj of schema.objects) {
    if (!obj.isEvent) continue
    const name = platformEventTopicName(obj.name)
    topics.set(name, {
      name,
      object: obj,
      codec: codecFor(platformEventSchema(obj)),
      canPublish: true,
      canSubscribe: true,
    })
  }
  const selected = schema.changeEventEntities
    .map((name) => schema.object(name))
    .filter((o) => o !== undefined)
  for (const obj of selected) {
    const name = changeEventTopicName(obj.name)
    const codec = codecFor(changeEventSchema(obj))
    topics.set(name, { name, object: obj, codec, canPublish: false, canSubscribe: true, changeEvents: true })
  }
  const first = selected[0]
  const firstTopic = first ? topics.get(changeEventTopicName(first.name)) : undefined
  // The all-objects channel has no schema of its own: each event names its object's schema.
  if (first && firstTopic) {
    topics.set(CHANGE_EVENTS_TOPIC, {
      name: CHANGE_EVENTS_TOPIC,
      object: first,
      codec: firstTopic.codec,
      canPublish: false,
      canSubscribe: true,
      changeEvents: true,
    })
  }
  return topics
}
