// Change Data Capture: REST saves of an Opportunity (selected in the seed) become
// OpportunityChangeEvent events on the org's event bus, read here with Salesforce's own Pub/Sub
// client, which decodes the header's field bitmaps back into names.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import jsforce from 'jsforce'
import PubSubApiClient from 'salesforce-pubsub-api-client'
import {
  errorCodeOf,
  type PubSubTestOrg,
  quietLogger,
  startPubSubOrg,
  unaryCall,
} from '../pubsub/pubsub-test-org.ts'

type Header = {
  entityName: string
  recordIds: string[]
  changeType: string
  changeOrigin: string
  transactionKey: string
  sequenceNumber: number
  commitTimestamp: number
  commitNumber: bigint | number
  commitUser: string
  nulledFields: string[]
  diffFields: string[]
  changedFields: string[]
}
type ChangeEvent = {
  id: string
  schemaId: string
  replayId: number
  payload: Record<string, unknown> & { ChangeEventHeader: Header }
}

const OPPORTUNITY_TOPIC = '/data/OpportunityChangeEvent'
const ALL_TOPIC = '/data/ChangeEvents'
const DAY_MS = 86_400_000

function client(t: PubSubTestOrg): PubSubApiClient {
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

/**
 * Subscribes from the earliest event with a client of its own (the client keys subscriptions
 * by topic); resolves with every event delivered before the first keepalive. `ended` settles
 * when the org closes the stream.
 */
async function readAll(
  t: PubSubTestOrg,
  topic: string,
): Promise<{ events: Promise<ChangeEvent[]>; ended: Promise<void>; c: PubSubApiClient }> {
  const c = client(t)
  await c.connect()
  const got: ChangeEvent[] = []
  let ended: () => void = () => {}
  const endedP = new Promise<void>((resolve) => {
    ended = resolve
  })
  const events = new Promise<ChangeEvent[]>((resolve, reject) => {
    c.subscribeFromEarliestEvent(
      topic,
      (_info: unknown, type: string, data?: unknown) => {
        if (type === 'event') got.push(data as ChangeEvent)
        else if (type === 'grpcKeepAlive') resolve([...got])
        else if (type === 'error') reject(data)
        else if (type === 'grpcStatus') ended()
      },
      100,
    )
  })
  return { events, ended: endedP, c }
}

describe('Opportunity change events', () => {
  let t: PubSubTestOrg
  let conn: jsforce.Connection
  const streams: Promise<void>[] = []
  const clients: PubSubApiClient[] = []
  const open = async (topic: string) => {
    const read = await readAll(t, topic)
    streams.push(read.ended)
    clients.push(read.c)
    return read.events
  }
  before(async () => {
    t = await startPubSubOrg({ pubsub: { port: 0, keepaliveMs: 100 } })
    conn = new jsforce.Connection({
      instanceUrl: t.org.url,
      accessToken: t.token,
      version: '66.0',
      callOptions: { client: 'cdc-tests' },
    })
  })
  after(async () => {
    await t.close()
    await Promise.all(streams)
    // Clients close after their streams ended, so no cut stream reaches a closed client.
    for (const c of clients) c.close()
  })

  it('create, update and delete publish CREATE, UPDATE and DELETE with Salesforce headers; Contacts publish none', async () => {
    const created = await conn.sobject('Opportunity').create({
      Name: 'CDC Deal',
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      Amount: 1000,
      Description: 'first draft',
    })
    const id = created.id as string
    await conn.sobject('Contact').create({ LastName: 'Not Captured', Email: 'nc@example.com' })
    await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won', Description: null })
    await conn.sobject('Opportunity').destroy(id)
    const { CreatedById: userId } = await conn
      .sobject('Opportunity')
      .retrieve(
        (
          await conn
            .sobject('Opportunity')
            .create({ Name: 'Marker', StageName: 'Prospecting', CloseDate: '2026-12-31' })
        ).id as string,
      )

    const events = (await open(OPPORTUNITY_TOPIC)).filter((e) =>
      e.payload.ChangeEventHeader.recordIds.includes(id),
    )
    assert.deepEqual(
      events.map((e) => e.payload.ChangeEventHeader.changeType),
      ['CREATE', 'UPDATE', 'DELETE'],
    )
    const [create, update, remove] = events as [ChangeEvent, ChangeEvent, ChangeEvent]

    const h = create.payload.ChangeEventHeader
    assert.equal(h.entityName, 'Opportunity')
    assert.deepEqual(h.recordIds, [id])
    assert.equal(h.changeOrigin, 'com/salesforce/api/rest/66.0;client=cdc-tests')
    assert.match(h.transactionKey, /^[0-9a-f-]{36}$/)
    assert.equal(h.sequenceNumber, 1)
    assert.equal(h.commitUser, userId)
    assert.equal(typeof h.commitTimestamp, 'number')
    // Commit numbers exceed 2^53, as real ones do: the client must decode them as BigInts.
    assert.equal(typeof h.commitNumber, 'bigint')
    assert.ok(BigInt(h.commitNumber) > BigInt(Number.MAX_SAFE_INTEGER))
    assert.deepEqual([h.changedFields, h.nulledFields, h.diffFields], [[], [], []])
    assert.equal(create.payload.Name, 'CDC Deal')
    assert.equal(create.payload.Amount, 1000)
    assert.equal(create.payload.CloseDate, Date.parse('2026-12-31') / DAY_MS)
    assert.equal(create.payload.IsWon, false)
    assert.equal(create.payload.CreatedById, userId)
    assert.match(create.id, /^[0-9a-f-]{36}$/)

    const u = update.payload.ChangeEventHeader
    assert.notEqual(u.transactionKey, h.transactionKey)
    for (const field of ['StageName', 'IsClosed', 'IsWon', 'Description', 'LastModifiedDate'])
      assert.ok(u.changedFields.includes(field), `${field} in ${u.changedFields.join(',')}`)
    assert.equal(u.changedFields.includes('Name'), false)
    assert.deepEqual(u.nulledFields, ['Description'])
    assert.deepEqual(
      [update.payload.StageName, update.payload.IsWon, update.payload.Name],
      ['Closed Won', true, null],
    )

    assert.deepEqual(remove.payload.ChangeEventHeader.recordIds, [id])
    assert.equal(remove.payload.Name, null)
  })

  it('/data/ChangeEvents carries the same events under the same EventUuids', async () => {
    const [a, b] = await Promise.all([open(OPPORTUNITY_TOPIC), open(ALL_TOPIC)])
    assert.ok(a.length >= 4)
    assert.deepEqual(
      b.map((e) => e.id),
      a.map((e) => e.id),
    )
    assert.ok(b.every((e) => e.payload.ChangeEventHeader.entityName === 'Opportunity'))
  })

  it('the topic is the org’s to publish: GetTopic says so, GetSchema serves the change event schema, Publish is refused', async () => {
    const topic = await unaryCall<{ canPublish: boolean; canSubscribe: boolean; schemaId: string }>(
      t.raw,
      'GetTopic',
      { topicName: OPPORTUNITY_TOPIC },
      t.metadata(),
    )
    assert.deepEqual([topic.canPublish, topic.canSubscribe], [false, true])
    const { schemaJson } = await unaryCall<{ schemaJson: string }>(
      t.raw,
      'GetSchema',
      { schemaId: topic.schemaId },
      t.metadata(),
    )
    const schema = JSON.parse(schemaJson) as {
      name: string
      namespace: string
      fields: { name: string; type: unknown }[]
    }
    assert.equal(schema.name, 'OpportunityChangeEvent')
    assert.equal(schema.namespace, 'com.sforce.eventbus')
    assert.equal(schema.fields[0]?.name, 'ChangeEventHeader')
    const header = schema.fields[0]?.type as { fields: { name: string }[] }
    assert.deepEqual(
      header.fields.map((f) => f.name),
      [
        'entityName',
        'recordIds',
        'changeType',
        'changeOrigin',
        'transactionKey',
        'sequenceNumber',
        'commitTimestamp',
        'commitNumber',
        'commitUser',
        'nulledFields',
        'diffFields',
        'changedFields',
      ],
    )
    assert.deepEqual(schema.fields.find((f) => f.name === 'StageName')?.type, ['null', 'string'])
    assert.equal(
      schema.fields.some((f) => f.name === 'Id'),
      false,
    )
    await assert.rejects(
      unaryCall(t.raw, 'Publish', { topicName: OPPORTUNITY_TOPIC, events: [] }, t.metadata()),
      (error: unknown) => (error as { code: number }).code === 7 && errorCodeOf(error) !== undefined,
    )
  })

  it('a composite call rolled back by allOrNone publishes nothing; one call is one transaction', async () => {
    const composite = (requests: object[]) =>
      fetch(`${t.org.url}/services/data/v66.0/composite`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ allOrNone: true, compositeRequest: requests }),
      })
    const opp = (name: string, ref: string) => ({
      method: 'POST',
      url: '/services/data/v66.0/sobjects/Opportunity',
      referenceId: ref,
      body: { Name: name, StageName: 'Prospecting', CloseDate: '2026-12-31' },
    })
    const failing = {
      method: 'POST',
      url: '/services/data/v66.0/sobjects/Opportunity',
      referenceId: 'bad',
      body: {},
    }
    assert.equal((await composite([opp('Rolled Back Deal', 'a'), failing])).status, 200)
    assert.equal((await composite([opp('Kept One', 'k1'), opp('Kept Two', 'k2')])).status, 200)

    const events = await open(OPPORTUNITY_TOPIC)
    assert.equal(
      events.some((e) => e.payload.Name === 'Rolled Back Deal'),
      false,
    )
    const kept = events.filter((e) => String(e.payload.Name).startsWith('Kept'))
    assert.equal(kept.length, 2)
    assert.equal(
      kept[0]?.payload.ChangeEventHeader.transactionKey,
      kept[1]?.payload.ChangeEventHeader.transactionKey,
    )
    assert.deepEqual(
      kept.map((e) => e.payload.ChangeEventHeader.sequenceNumber),
      [1, 2],
    )
  })
})
