// The org's event channels: one `/event/<Name>__e` topic per platform event in the seed. Topic
// names are matched exactly, as Salesforce matches them.

import type { ObjectDef, Schema } from '../rest/sobject-schema.ts'
import { codecFor, type EventCodec, platformEventSchema } from './avro-schema.ts'

export type Topic = {
  name: string
  object: ObjectDef
  /** The current schema; events published earlier keep the one they were written with. */
  codec: EventCodec
  canPublish: boolean
  canSubscribe: boolean
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
  return topics
}
