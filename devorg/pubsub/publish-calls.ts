// Publish (unary) and PublishStream (bidirectional). Unlike REST publishes, these are
// synchronous and final: each event's PublishResult carries its replay id, or an error for that
// event alone, and echoes the caller's ProducerEvent.id as the correlation key.

import { randomUUID } from 'node:crypto'
import type { ServerDuplexStream, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js'
import type { EventBus } from '../events/event-bus.ts'
import type { Topic } from '../events/topics.ts'
import { type CallerCheck, identifyCaller, type PubSubIdentity } from './pubsub-caller.ts'
import { pubsubErrors, statusOf } from './pubsub-errors.ts'

export type PublishRequest = {
  topicName?: string
  events?: { id?: string; schemaId?: string; payload?: Buffer }[]
}

export type PublishResponse = {
  results: { replayId?: Buffer; error?: { code: 'PUBLISH'; msg: string }; correlationKey: string }[]
  schemaId: string
  rpcId: string
}

export type PublishDeps = CallerCheck & {
  bus: EventBus
  /** PublishStream calls end when no request arrives for this long (Salesforce: 70 s). */
  publishIdleMs: number
  unavailable(): boolean
}

function publishableTopic(bus: EventBus, name: string): Topic {
  const topic = bus.topic(name)
  if (!topic) throw pubsubErrors.topicNotFound(name)
  if (!topic.canPublish) throw pubsubErrors.permissionDenied(`Publishing to ${name} is not allowed.`)
  return topic
}

function publishAll(
  bus: EventBus,
  topic: Topic,
  request: PublishRequest,
  caller: PubSubIdentity,
  rpcId: string,
) {
  const results: PublishResponse['results'] = (request.events ?? []).map((event) => {
    const correlationKey = event.id ?? ''
    try {
      const stored = bus.publishAvro(
        topic,
        event.schemaId ?? '',
        event.payload ?? Buffer.alloc(0),
        caller.userId,
      )
      return { replayId: stored.replayId, correlationKey }
    } catch (error) {
      return { error: { code: 'PUBLISH' as const, msg: (error as Error).message }, correlationKey }
    }
  })
  return { results, schemaId: topic.codec.schemaId, rpcId }
}

export function handlePublish(
  deps: PublishDeps,
  call: ServerUnaryCall<PublishRequest, PublishResponse>,
  callback: sendUnaryData<PublishResponse>,
): void {
  const rpcId = randomUUID()
  try {
    if (deps.unavailable()) throw pubsubErrors.unavailable()
    const caller = identifyCaller(deps, call.metadata)
    const topic = publishableTopic(deps.bus, call.request.topicName ?? '')
    callback(null, publishAll(deps.bus, topic, call.request, caller, rpcId))
  } catch (error) {
    callback(statusOf(error, rpcId))
  }
}

export function handlePublishStream(
  deps: PublishDeps,
  call: ServerDuplexStream<PublishRequest, PublishResponse>,
): void {
  const rpcId = randomUUID()
  let topic: Topic | null = null
  let caller: PubSubIdentity | null = null
  let closed = false
  let idle = setTimeout(() => {}, 0)

  function finish(): void {
    closed = true
    clearTimeout(idle)
  }
  function armIdle(): void {
    clearTimeout(idle)
    idle = setTimeout(() => {
      if (closed) return
      finish()
      call.end()
    }, deps.publishIdleMs)
    idle.unref()
  }
  function fail(error: unknown): void {
    if (closed) return
    finish()
    call.emit('error', statusOf(error, rpcId))
  }

  call.on('data', (request: PublishRequest) => {
    if (closed || !caller) return
    try {
      armIdle()
      if (!topic) topic = publishableTopic(deps.bus, request.topicName ?? '')
      else if (request.topicName && request.topicName !== topic.name)
        throw pubsubErrors.invalid(
          'A publish stream cannot change its topic; start a new PublishStream call.',
        )
      call.write(publishAll(deps.bus, topic, request, caller, rpcId))
    } catch (error) {
      fail(error)
    }
  })
  call.on('end', () => {
    if (closed) return
    finish()
    call.end()
  })
  call.on('cancelled', finish)
  call.on('close', finish)

  try {
    if (deps.unavailable()) throw pubsubErrors.unavailable()
    caller = identifyCaller(deps, call.metadata)
    armIdle()
  } catch (error) {
    fail(error)
  }
}
