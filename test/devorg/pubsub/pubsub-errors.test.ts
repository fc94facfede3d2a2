// The Pub/Sub API's refusals, driven with raw gRPC calls on our own service definition: the
// status codes and `error-code` trailers Salesforce clients branch on.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type ClientDuplexStream, type ServiceError, status } from '@grpc/grpc-js'
import { encodeReplayId } from '../../../devorg/events/replay-id.ts'
import { testClock } from '../../helpers/test-clock.ts'
import {
  errorCodeOf,
  type PubSubTestOrg,
  publishRaw,
  restPublish,
  startPubSubOrg,
  TOPIC,
  unaryCall,
} from './pubsub-test-org.ts'

type FetchResponse = {
  events: { event: { id: string; schemaId: string; payload: Buffer }; replayId: Buffer }[]
  latestReplayId: Buffer
  rpcId: string
  pendingNumRequested: number
}
type Stream = ClientDuplexStream<object, FetchResponse>

/** Opens Subscribe, sends `first`, and gathers responses; `ended` settles with the final error (or null). */
function subscribe(t: PubSubTestOrg, first: object, token?: string) {
  const call = (t.raw as unknown as { Subscribe(m: unknown): Stream }).Subscribe(t.metadata(token))
  const responses: FetchResponse[] = []
  const waiters: (() => void)[] = []
  call.on('data', (r: FetchResponse) => {
    responses.push(r)
    for (const w of waiters.splice(0)) w()
  })
  const ended = new Promise<ServiceError | null>((resolve) => {
    call.on('error', (e: ServiceError) => resolve(e))
    call.on('end', () => resolve(null))
  })
  call.write(first)
  return {
    call,
    responses,
    ended,
    events: () => responses.flatMap((r) => r.events),
    /** Resolves once `predicate` holds for the responses so far. */
    async until(predicate: () => boolean): Promise<void> {
      while (!predicate()) await new Promise<void>((resolve) => waiters.push(resolve))
    },
  }
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise
  } catch (error) {
    return error as ServiceError
  }
  throw new Error('expected the call to fail')
}

describe('Pub/Sub API errors over raw gRPC', () => {
  const clock = testClock()
  let t: PubSubTestOrg
  before(async () => {
    t = await startPubSubOrg({ clock: clock.now, eventRetentionMs: 3_600_000 })
  })
  after(() => t.close())

  it('a bad or missing token is UNAUTHENTICATED with the auth error code, on unary and streaming calls', async () => {
    const bad = await failure(unaryCall(t.raw, 'GetTopic', { topicName: TOPIC }, t.metadata('00Dnope!bad')))
    assert.equal(bad.code, status.UNAUTHENTICATED)
    assert.equal(errorCodeOf(bad), 'sfdc.platform.eventbus.grpc.service.auth.error')
    assert.match(bad.details, /rpcId: [0-9a-f-]{36}$/)

    const noTenant = t.metadata()
    noTenant.remove('tenantid')
    const missing = await failure(unaryCall(t.raw, 'GetTopic', { topicName: TOPIC }, noTenant))
    assert.equal(missing.code, status.UNAUTHENTICATED)

    const otherOrg = t.metadata()
    otherOrg.set('tenantid', '00D000000000001AAA')
    assert.equal((await failure(unaryCall(t.raw, 'GetTopic', { topicName: TOPIC }, otherOrg))).code, 16)

    const sub = subscribe(t, { topicName: TOPIC, numRequested: 1 }, 'not-a-token')
    const error = await sub.ended
    assert.equal(error?.code, status.UNAUTHENTICATED)
    assert.equal(errorCodeOf(error), 'sfdc.platform.eventbus.grpc.service.auth.error')
  })

  it('an unknown topic is NOT_FOUND for GetTopic, Publish and Subscribe; an unknown schema too', async () => {
    const topic = await failure(unaryCall(t.raw, 'GetTopic', { topicName: '/event/Nope__e' }, t.metadata()))
    assert.equal(topic.code, status.NOT_FOUND)
    assert.equal(errorCodeOf(topic), 'sfdc.platform.eventbus.grpc.topic.notfound')
    const publish = await failure(
      unaryCall(t.raw, 'Publish', { topicName: '/event/Nope__e', events: [] }, t.metadata()),
    )
    assert.equal(publish.code, status.NOT_FOUND)
    const sub = subscribe(t, { topicName: '/event/Nope__e', numRequested: 1 })
    const error = await sub.ended
    assert.equal(error?.code, status.NOT_FOUND)
    assert.equal(errorCodeOf(error), 'sfdc.platform.eventbus.grpc.subscription.topic.notfound')
    const schema = await failure(unaryCall(t.raw, 'GetSchema', { schemaId: 'nope' }, t.metadata()))
    assert.equal(schema.code, status.NOT_FOUND)
  })

  it('GetTopic and GetSchema describe the event: Avro schema from its fields, id as fingerprint', async () => {
    const info = await unaryCall<{ schemaId: string; tenantGuid: string; canPublish: boolean }>(
      t.raw,
      'GetTopic',
      { topicName: TOPIC },
      t.metadata(),
    )
    assert.equal(info.tenantGuid, t.org.orgId)
    assert.equal(info.canPublish, true)
    assert.match(info.schemaId, /^[A-Za-z0-9_-]{22}$/)
    const schema = await unaryCall<{ schemaJson: string; schemaId: string }>(
      t.raw,
      'GetSchema',
      { schemaId: info.schemaId },
      t.metadata(),
    )
    const json = JSON.parse(schema.schemaJson) as {
      name: string
      namespace: string
      fields: { name: string; type: unknown }[]
    }
    assert.equal(json.name, 'Order_Event__e')
    assert.equal(json.namespace, 'com.sforce.eventbus')
    assert.deepEqual(
      json.fields.map((f) => [f.name, f.type]),
      [
        ['CreatedDate', 'long'],
        ['CreatedById', 'string'],
        ['Order_Number__c', ['null', 'string']],
        ['Status__c', ['null', 'string']],
        ['Amount__c', ['null', 'double']],
      ],
    )
  })

  it('num_requested above 100 counts as 100 outstanding; later requests add up to the cap', async () => {
    const [marker] = await publishRaw(t, ['MARK'])
    assert.ok(marker)
    await publishRaw(
      t,
      Array.from({ length: 130 }, (_, i) => `N-${i}`),
    )
    const sub = subscribe(t, {
      topicName: TOPIC,
      replayPreset: 'CUSTOM',
      replayId: marker,
      numRequested: 500,
    })
    await sub.until(() => sub.events().length >= 100)
    assert.equal(sub.events().length, 100)
    assert.equal(sub.responses.at(-1)?.pendingNumRequested, 0)
    // Nothing more arrives until the client asks again.
    sub.call.write({ numRequested: 10 })
    await sub.until(() => sub.events().length >= 110)
    assert.equal(sub.events().length, 110)
    sub.call.write({ numRequested: 1000 })
    await sub.until(() => sub.events().length >= 130)
    // 1000 more counted as 100 outstanding, of which the last 20 events used 20.
    assert.equal(sub.responses.at(-1)?.pendingNumRequested, 80)
    assert.deepEqual(
      sub.events().map((e) => e.replayId.compare(marker) > 0),
      Array(130).fill(true),
    )
    sub.call.end()
    assert.equal(await sub.ended, null)
  })

  it('a negative num_requested or a change of topic mid-stream is INVALID_ARGUMENT', async () => {
    const negative = subscribe(t, { topicName: TOPIC, numRequested: -1 })
    assert.equal((await negative.ended)?.code, status.INVALID_ARGUMENT)
    const switching = subscribe(t, { topicName: TOPIC, numRequested: 1 })
    switching.call.write({ topicName: '/event/Other__e', numRequested: 1 })
    assert.equal((await switching.ended)?.code, status.INVALID_ARGUMENT)
  })

  it('a corrupted replay id (wrong length, another stream, the future) is refused with the replay error code', async () => {
    for (const replayId of [Buffer.from('abc'), encodeReplayId(0, 1), encodeReplayId(1, 2 ** 39)]) {
      const sub = subscribe(t, { topicName: TOPIC, replayPreset: 'CUSTOM', replayId, numRequested: 1 })
      const error = await sub.ended
      assert.equal(error?.code, status.INVALID_ARGUMENT, replayId.toString('hex'))
      assert.equal(errorCodeOf(error), 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted')
    }
  })

  it('a replay id older than the retention window is refused, never silently moved', async () => {
    const [stored] = await publishRaw(t, ['OLD-1', 'OLD-2'])
    assert.ok(stored)
    // Inside the window: resumes after the stored id.
    const resumed = subscribe(t, {
      topicName: TOPIC,
      replayPreset: 'CUSTOM',
      replayId: stored,
      numRequested: 1,
    })
    await resumed.until(() => resumed.events().length === 1)
    resumed.call.end()
    await resumed.ended

    clock.advance(2 * 3_600_000)
    await t.renewToken()
    await restPublish(t, { Order_Number__c: 'NEW-1' })
    const expired = subscribe(t, {
      topicName: TOPIC,
      replayPreset: 'CUSTOM',
      replayId: stored,
      numRequested: 1,
    })
    const error = await expired.ended
    assert.equal(error?.code, status.INVALID_ARGUMENT)
    assert.equal(errorCodeOf(error), 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted')
    assert.match(error?.details ?? '', /retention window/)

    // EARLIEST now starts at what is retained: only the event published after the clock moved.
    const earliest = subscribe(t, { topicName: TOPIC, replayPreset: 'EARLIEST', numRequested: 100 })
    await earliest.until(() => earliest.events().length === 1)
    earliest.call.write({ numRequested: 0 })
    const count = await unaryCall<{ results: unknown[] }>(
      t.raw,
      'Publish',
      { topicName: TOPIC, events: [] },
      t.metadata(),
    )
    assert.deepEqual(count.results, [])
    assert.equal(earliest.events().length, 1)
    earliest.call.end()
    await earliest.ended
  })

  it('the unavailable fault switch answers UNAVAILABLE', async () => {
    t.org.faults.unavailable = true
    try {
      const error = await failure(unaryCall(t.raw, 'GetTopic', { topicName: TOPIC }, t.metadata()))
      assert.equal(error.code, status.UNAVAILABLE)
      assert.equal(errorCodeOf(error), 'sfdc.platform.eventbus.grpc.service.unavailable')
    } finally {
      t.org.faults.unavailable = false
    }
  })
})
