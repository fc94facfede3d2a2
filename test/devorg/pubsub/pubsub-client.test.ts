// Salesforce's own Node client (salesforce-pubsub-api-client), unmodified, against the dev org's
// Pub/Sub API: publish, subscribe, replay from a stored id, and REST and gRPC publishes in one
// stream.

import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import PubSubApiClient from 'salesforce-pubsub-api-client'
import {
  gatewayApp,
  type PubSubTestOrg,
  quietLogger,
  restPublish,
  startPubSubOrg,
  TOPIC,
} from './pubsub-test-org.ts'

type ParsedEvent = { id: string; schemaId: string; replayId: number; payload: Record<string, unknown> }

function userSuppliedClient(t: PubSubTestOrg): PubSubApiClient {
  return new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken: t.token,
      instanceUrl: 'https://forcegate-dev.my.salesforce.com',
      organizationId: t.org.orgId,
      pubSubEndpoint: t.endpoint,
      rejectUnauthorizedSsl: false,
    },
    quietLogger,
  )
}

/** Collects events from a client subscription until `count` arrived. */
function collect(count: number) {
  const events: ParsedEvent[] = []
  const keepalives: number[] = []
  let statusSeen: () => void = () => {}
  /** Settles once the stream reported its final status (the org closed or failed it). */
  const status = new Promise<void>((resolve) => {
    statusSeen = resolve
  })
  let done: (events: ParsedEvent[]) => void = () => {}
  let failed: (error: unknown) => void = () => {}
  const all = new Promise<ParsedEvent[]>((resolve, reject) => {
    done = resolve
    failed = reject
  })
  const callback = (info: { lastReplayId?: number }, type: string, data?: unknown) => {
    if (type === 'event') {
      events.push(data as ParsedEvent)
      if (events.length === count) done(events)
    } else if (type === 'grpcKeepAlive') keepalives.push(info.lastReplayId ?? -1)
    else if (type === 'error') failed(data)
    else if (type === 'grpcStatus') statusSeen()
  }
  return { events, keepalives, all, status, callback }
}

function wrapped(order: string, amount: number) {
  // The client's Avro library wants nullable fields in their union form when publishing.
  return {
    CreatedDate: Date.now(),
    CreatedById: '005000000000000AAA',
    Order_Number__c: { string: order },
    Amount__c: { double: amount },
  }
}

/**
 * Stops the org, waits until the client saw each open stream end, then closes the client: its
 * close() drops stream listeners, so a stream cut later would surface as an uncaught error.
 */
async function stop(t: PubSubTestOrg, client: PubSubApiClient, streams: Promise<void>[]): Promise<void> {
  await t.close()
  await Promise.all(streams)
  client.close()
}

describe('the Pub/Sub API with salesforce-pubsub-api-client', () => {
  const cleanups: (() => void)[] = []
  after(() => {
    for (const c of cleanups) c()
  })

  it('publishes, then subscribes from the earliest event: REST and gRPC publishes are one stream', async () => {
    const t = await startPubSubOrg()
    const client = userSuppliedClient(t)
    await client.connect()

    const restUuid = await restPublish(t, { Order_Number__c: 'SO-1', Status__c: 'Placed', Amount__c: 10.5 })
    const published = (await client.publish(TOPIC, wrapped('SO-2', 20), 'corr-2')) as {
      replayId: number
      correlationKey: string
    }
    assert.equal(published.correlationKey, 'corr-2')
    assert.equal(typeof published.replayId, 'number')

    const sub = collect(2)
    client.subscribeFromEarliestEvent(TOPIC, sub.callback, 2)
    const [first, second] = await sub.all
    assert.equal(first?.id, restUuid)
    assert.equal(first?.payload.Order_Number__c, 'SO-1')
    assert.equal(first?.payload.Status__c, 'Placed')
    assert.equal(first?.payload.Amount__c, 10.5)
    assert.equal(second?.payload.Order_Number__c, 'SO-2')
    assert.equal(second?.replayId, published.replayId)
    assert.ok((first?.replayId ?? 0) < (second?.replayId ?? 0))
    assert.match(second?.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // The org stamps who published and when, whatever the publisher wrote.
    const integrationUser = t.org.seed.users.find((u) => u.username === gatewayApp(t.org).runAs)
    assert.ok(integrationUser)
    assert.notEqual(second?.payload.CreatedById, '005000000000000AAA')
    assert.match(String(second?.payload.CreatedById), /^005[0-9A-Za-z]{15}$/)
    assert.equal(second?.payload.CreatedById, first?.payload.CreatedById)
    assert.equal(typeof second?.payload.CreatedDate, 'number')
    await stop(t, client, [sub.status])
  })

  it('replays from a stored replay id: only later events arrive, then live ones, then keepalives', async () => {
    const t = await startPubSubOrg({ pubsub: { port: 0, keepaliveMs: 50 } })
    const client = userSuppliedClient(t)
    await client.connect()
    const first = (await client.publish(TOPIC, wrapped('R-1', 1))) as { replayId: number }
    await client.publish(TOPIC, wrapped('R-2', 2))
    await client.publish(TOPIC, wrapped('R-3', 3))

    const sub = collect(3)
    client.subscribeFromReplayId(TOPIC, sub.callback, 3, first.replayId)
    await restPublish(t, { Order_Number__c: 'R-4' })
    const events = await sub.all
    assert.deepEqual(
      events.map((e) => e.payload.Order_Number__c),
      ['R-2', 'R-3', 'R-4'],
    )
    const last = events[2]?.replayId
    // With nothing left to deliver the org sends keepalives carrying the latest replay id.
    while (sub.keepalives.length === 0) await new Promise((r) => setTimeout(r, 10))
    assert.equal(sub.keepalives[0], last)
    await stop(t, client, [sub.status])
  })

  it('authenticates with client credentials against the org and publishes in a batch stream', async () => {
    const t = await startPubSubOrg()
    const gateway = gatewayApp(t.org)
    const client = new PubSubApiClient(
      {
        authType: 'oauth-client-credentials',
        loginUrl: t.org.url,
        clientId: gateway.clientId,
        clientSecret: gateway.clientSecret,
        pubSubEndpoint: t.endpoint,
        rejectUnauthorizedSsl: false,
      },
      quietLogger,
    )
    await client.connect()
    let publishStatus: () => void = () => {}
    const published = new Promise<void>((resolve) => {
      publishStatus = resolve
    })
    const results = await new Promise<{ replayId: number; correlationKey: string }[]>((resolve, reject) => {
      client
        .publishBatch(
          TOPIC,
          [
            { id: 'b-1', payload: wrapped('B-1', 1) },
            { id: 'b-2', payload: wrapped('B-2', 2) },
          ],
          (_info: unknown, type: string, data: unknown) => {
            if (type === 'publishResponse')
              resolve((data as { results: { replayId: number; correlationKey: string }[] }).results)
            else if (type === 'error') reject(data)
            else if (type === 'grpcStatus') publishStatus()
          },
        )
        .catch(reject)
    })
    assert.deepEqual(
      results.map((r) => r.correlationKey),
      ['b-1', 'b-2'],
    )
    const sub = collect(2)
    client.subscribeFromEarliestEvent(TOPIC, sub.callback, 2)
    assert.deepEqual(
      (await sub.all).map((e) => e.payload.Order_Number__c),
      ['B-1', 'B-2'],
    )
    await stop(t, client, [sub.status, published])
  })

  it('keeps events, replay ids and its certificate across a restart with a data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'devorg-pubsub-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const before = await startPubSubOrg({ dataDir })
    const c1 = userSuppliedClient(before)
    await c1.connect()
    const stored = (await c1.publish(TOPIC, wrapped('P-1', 1))) as { replayId: number }
    await c1.publish(TOPIC, wrapped('P-2', 2))
    const certificate = before.org.pubsub?.certificate
    await before.close()
    c1.close()

    const t = await startPubSubOrg({ dataDir })
    const client = userSuppliedClient(t)
    assert.equal(t.org.pubsub?.certificate, certificate)
    assert.equal(t.org.pubsub?.certificatePath, join(dataDir, 'pubsub-tls-cert.pem'))
    await client.connect()
    const sub = collect(1)
    client.subscribeFromReplayId(TOPIC, sub.callback, 1, stored.replayId)
    assert.deepEqual(
      (await sub.all).map((e) => e.payload.Order_Number__c),
      ['P-2'],
    )
    await stop(t, client, [sub.status])
  })
})
