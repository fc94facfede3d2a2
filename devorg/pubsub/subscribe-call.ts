// One Subscribe call: a pull stream. The first FetchRequest names the topic and where to start
// (LATEST, EARLIEST, or after a CUSTOM replay id); every request adds to the number of events
// the client is ready for, capped at 100 outstanding. Events go out in stream order as soon as
// they are published and requested; with nothing to send, a keepalive carries the latest replay
// id the client may checkpoint.

import { randomUUID } from 'node:crypto'
import type { ServerDuplexStream } from '@grpc/grpc-js'
import type { EventBus, StoredEvent } from '../events/event-bus.ts'
import type { Topic } from '../events/topics.ts'
import { type CallerCheck, identifyCaller } from './pubsub-caller.ts'
import { pubsubErrors, statusOf } from './pubsub-errors.ts'

export const MAX_OUTSTANDING = 100
/** Batches stay well under gRPC's default 4 MB message limit on the client side. */
const MAX_BATCH_BYTES = 3 * 1024 * 1024

export type FetchRequest = {
  topicName?: string
  replayPreset?: 'LATEST' | 'EARLIEST' | 'CUSTOM' | number
  replayId?: Buffer
  numRequested?: number
}

export type FetchResponse = {
  events: { event: { id: string; schemaId: string; payload: Buffer; headers: [] }; replayId: Buffer }[]
  latestReplayId: Buffer
  rpcId: string
  pendingNumRequested: number
}

export type SubscribeDeps = CallerCheck & {
  bus: EventBus
  keepaliveMs: number
  unavailable(): boolean
}

const PRESETS = ['LATEST', 'EARLIEST', 'CUSTOM'] as const

function presetOf(value: FetchRequest['replayPreset']): (typeof PRESETS)[number] | undefined {
  if (value === undefined) return 'LATEST'
  return typeof value === 'number' ? PRESETS[value] : PRESETS.find((p) => p === value)
}

export function handleSubscribe(
  deps: SubscribeDeps,
  call: ServerDuplexStream<FetchRequest, FetchResponse>,
): void {
  const rpcId = randomUUID()
  let topic: Topic | null = null
  let position = 0
  let pending = 0
  let closed = false
  let sentSinceTick = false

  function finish(): void {
    if (closed) return
    closed = true
    unsubscribe()
    clearInterval(timer)
  }

  function fail(error: unknown): void {
    if (closed) return
    finish()
    call.emit('error', statusOf(error, rpcId))
  }

  function send(events: StoredEvent[]): void {
    sentSinceTick = true
    call.write({
      events: events.map((e) => ({
        event: { id: e.eventUuid, schemaId: e.schemaId, payload: e.payload, headers: [] },
        replayId: e.replayId,
      })),
      latestReplayId: deps.bus.replayIdOf(position),
      rpcId,
      pendingNumRequested: pending,
    })
  }

  function pump(): void {
    while (!closed && topic && pending > 0) {
      const batch = deps.bus.after(topic.name, position, pending)
      if (batch.length === 0) return
      let bytes = 0
      let count = 0
      for (const e of batch) {
        if (count > 0 && bytes + e.payload.length > MAX_BATCH_BYTES) break
        bytes += e.payload.length
        count++
      }
      const out = batch.slice(0, count)
      position = out[out.length - 1]?.sequence ?? position
      pending -= out.length
      send(out)
    }
  }

  function keepalive(): void {
    if (closed || !topic) return
    if (sentSinceTick) {
      sentSinceTick = false
      return
    }
    // Caught up on this topic: the stream's newest position is safe to checkpoint, and keeps the
    // client's stored replay id young while the topic is quiet.
    if (deps.bus.after(topic.name, position, 1).length === 0)
      position = Math.max(position, deps.bus.latestSequence())
    send([])
    sentSinceTick = false
  }

  function first(request: FetchRequest): Topic {
    const name = request.topicName ?? ''
    const found = deps.bus.topic(name)
    if (!found) throw pubsubErrors.topicNotFound(name, true)
    if (!found.canSubscribe) throw pubsubErrors.permissionDenied(`Subscribing to ${name} is not allowed.`)
    const preset = presetOf(request.replayPreset)
    if (preset === 'EARLIEST') position = deps.bus.horizon()
    else if (preset === 'CUSTOM') {
      const check = deps.bus.checkReplayId(request.replayId ?? Buffer.alloc(0))
      if ('error' in check) throw pubsubErrors.replayIdCorrupted(check.error)
      position = check.sequence
    } else if (preset === 'LATEST') position = deps.bus.latestSequence()
    else throw pubsubErrors.invalid('Unknown replay preset.')
    return found
  }

  function onRequest(request: FetchRequest): void {
    if (closed) return
    try {
      if (!topic) topic = first(request)
      else if (request.topicName && request.topicName !== topic.name)
        throw pubsubErrors.invalid('A subscription cannot change its topic; start a new Subscribe call.')
      const requested = request.numRequested ?? 0
      if (!Number.isInteger(requested) || requested < 0)
        throw pubsubErrors.invalid('num_requested must not be negative.')
      // More than 100 outstanding is treated as 100, as Salesforce documents.
      pending = Math.min(MAX_OUTSTANDING, pending + requested)
      pump()
    } catch (error) {
      fail(error)
    }
  }

  const unsubscribe = deps.bus.onAppend((name) => {
    if (name === topic?.name) pump()
  })
  const timer = setInterval(keepalive, deps.keepaliveMs)
  timer.unref()
  call.on('data', onRequest)
  call.on('end', () => {
    if (closed) return
    finish()
    call.end()
  })
  call.on('cancelled', finish)
  call.on('error', finish)
  call.on('close', finish)

  try {
    if (deps.unavailable()) throw pubsubErrors.unavailable()
    identifyCaller(deps, call.metadata)
  } catch (error) {
    fail(error)
  }
}
