import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer, USER_ID, v } from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

test('publishing a platform event answers 201 with an OPERATION_ENQUEUED entry carrying the EventUuid', async () => {
  const r = await srv.call('POST', v('/sobjects/Order_Shipped__e'), {
    body: { Order_Number__c: 'SO-1001', Shipped_At__c: '2026-02-01T10:00:00Z' },
  })
  assert.equal(r.status, 201)
  const body = r.json as {
    id: string
    success: boolean
    errors: { statusCode: string; message: string; fields: string[] }[]
  }
  assert.match(body.id, /^e00[0-9A-Za-z]{15}$/)
  assert.equal(body.success, true)
  assert.equal(body.errors.length, 1)
  const [entry] = body.errors
  assert.equal(entry?.statusCode, 'OPERATION_ENQUEUED')
  assert.match(entry?.message ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.deepEqual(entry?.fields, [])

  const published = srv.api.publishedEvents()
  assert.equal(published.length, 1)
  const [event] = published
  assert.equal(event?.name, 'Order_Shipped__e')
  assert.equal(event?.id, body.id)
  assert.equal(event?.payload.Order_Number__c, 'SO-1001')
  assert.equal(event?.payload.Shipped_At__c, '2026-02-01T10:00:00.000+0000')
  assert.equal(event?.payload.EventUuid, entry?.message)
  assert.equal(event?.payload.CreatedById, USER_ID)
})

test('event payloads are checked against the event fields; unknown events are not found', async () => {
  const before = srv.api.publishedEvents().length
  const bad = await srv.call('POST', v('/sobjects/Order_Shipped__e'), { body: { Nope__c: 1 } })
  assert.equal(bad.status, 400)
  assert.equal((bad.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD')
  const unknown = await srv.call('POST', v('/sobjects/Unknown__e'), { body: {} })
  assert.equal(unknown.status, 404)
  assert.equal(srv.api.publishedEvents().length, before)
})

test('platform events can be described but have no records to read', async () => {
  const d = await srv.call('GET', v('/sobjects/Order_Shipped__e/describe'))
  assert.equal(d.status, 200)
  const fields = (d.json as { fields: { name: string }[] }).fields.map((f) => f.name)
  assert.ok(fields.includes('EventUuid'))
  assert.ok(fields.includes('Order_Number__c'))
  const [published] = srv.api.publishedEvents()
  assert.equal((await srv.call('GET', v(`/sobjects/Order_Shipped__e/${published?.id}`))).status, 404)
})
