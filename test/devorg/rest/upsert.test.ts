import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer, v } from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

type SaveResult = { id: string; success: boolean; errors: unknown[]; created?: boolean }

test('upsert inserts with 201 created:true, then updates with 200 created:false (API 46.0+)', async () => {
  const path = v('/sobjects/Contact/Customer_Id__c/CRM-42')
  const inserted = await srv.call('PATCH', path, { body: { LastName: 'Lovelace', Email: 'ada@example.com' } })
  assert.equal(inserted.status, 201)
  const ins = inserted.json as SaveResult
  assert.match(ins.id, /^003[0-9A-Za-z]{15}$/)
  assert.deepEqual(ins, { id: ins.id, success: true, errors: [], created: true })

  const updated = await srv.call('PATCH', path, { body: { FirstName: 'Ada' } })
  assert.equal(updated.status, 200)
  assert.deepEqual(updated.json, { id: ins.id, success: true, errors: [], created: false })

  const rec = (await srv.call('GET', v(`/sobjects/Contact/${ins.id}`))).json as Record<string, unknown>
  assert.equal(rec.Customer_Id__c, 'CRM-42')
  assert.equal(rec.Name, 'Ada Lovelace')
  assert.equal(rec.Email, 'ada@example.com')
})

test('external ID matching ignores case, as a real org does for text external IDs', async () => {
  const a = await srv.call('PATCH', v('/sobjects/Customer__c/External_Id__c/Cust-1'), {
    body: { Tier__c: 'gold' },
  })
  const b = await srv.call('PATCH', v('/sobjects/Customer__c/external_id__c/CUST-1'), {
    body: { Tier__c: 'silver' },
  })
  assert.equal(a.status, 201)
  assert.equal(b.status, 200)
  assert.equal((a.json as SaveResult).id, (b.json as SaveResult).id)
})

test('before API 46.0 an upsert update is 204 with no body and an insert has no created flag', async () => {
  const path = v('/sobjects/Contact/Customer_Id__c/OLD-1', '45.0')
  const inserted = await srv.call('PATCH', path, { body: { LastName: 'Old' } })
  assert.equal(inserted.status, 201)
  assert.equal((inserted.json as SaveResult).created, undefined)
  const updated = await srv.call('PATCH', path, { body: { FirstName: 'Very' } })
  assert.equal(updated.status, 204)
  assert.equal(updated.text, '')
})

test('several records with the external ID make the upsert 300 with their URLs', async () => {
  const ids: string[] = []
  for (const name of ['Twin A', 'Twin B']) {
    const r = await srv.call('POST', v('/sobjects/Contact'), {
      body: { LastName: name, Customer_Id__c: 'DUP-1' },
    })
    ids.push((r.json as SaveResult).id)
  }
  const r = await srv.call('PATCH', v('/sobjects/Contact/Customer_Id__c/DUP-1'), { body: { Title: 'x' } })
  assert.equal(r.status, 300)
  assert.deepEqual(
    [...(r.json as string[])].sort(),
    ids.map((id) => `/services/data/v66.0/sobjects/Contact/${id}`).sort(),
  )
  const get = await srv.call('GET', v('/sobjects/Contact/Customer_Id__c/DUP-1'))
  assert.equal(get.status, 300)
})

test('upsert errors: unknown field 404, non-external field 400, updateOnly without a match 404', async () => {
  const unknown = await srv.call('PATCH', v('/sobjects/Contact/Nope__c/1'), { body: { LastName: 'x' } })
  assert.equal(unknown.status, 404)
  assert.deepEqual(unknown.json, [
    { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
  ])
  const notExternal = await srv.call('PATCH', v('/sobjects/Contact/Email/a@b.c'), { body: { LastName: 'x' } })
  assert.equal(notExternal.status, 400)
  assert.equal((notExternal.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD')
  const updateOnly = await srv.call('PATCH', v('/sobjects/Contact/Customer_Id__c/NEW-9?updateOnly=true'), {
    body: { LastName: 'x' },
  })
  assert.equal(updateOnly.status, 404)
  const missing = await srv.call('PATCH', v('/sobjects/Contact/Customer_Id__c/NEW-10'), {
    body: { FirstName: 'x' },
  })
  assert.equal(missing.status, 400)
  assert.equal((missing.json as { errorCode: string }[])[0]?.errorCode, 'REQUIRED_FIELD_MISSING')
  const conflict = await srv.call('PATCH', v('/sobjects/Contact/Customer_Id__c/A-1'), {
    body: { LastName: 'x', Customer_Id__c: 'B-2' },
  })
  assert.equal(conflict.status, 400)
})

test('read and delete by external ID', async () => {
  await srv.call('PATCH', v('/sobjects/Customer__c/External_Id__c/R-1'), { body: { Name: 'Reader' } })
  const read = await srv.call('GET', v('/sobjects/Customer__c/External_Id__c/R-1'))
  assert.equal(read.status, 200)
  assert.equal((read.json as Record<string, unknown>).Name, 'Reader')
  assert.equal((await srv.call('DELETE', v('/sobjects/Customer__c/External_Id__c/R-1'))).status, 204)
  assert.equal((await srv.call('GET', v('/sobjects/Customer__c/External_Id__c/R-1'))).status, 404)
})

test('Id as the upsert field: POST creates, PATCH with an existing id updates, an unknown id is 404', async () => {
  const created = await srv.call('POST', v('/sobjects/Account/Id'), { body: { Name: 'By Id' } })
  assert.equal(created.status, 201)
  const id = (created.json as SaveResult).id
  const updated = await srv.call('PATCH', v(`/sobjects/Account/Id/${id}`), { body: { Industry: 'Media' } })
  assert.deepEqual(updated.json, { id, success: true, errors: [], created: false })
  const unknown = await srv.call('PATCH', v('/sobjects/Account/Id/001000000000000'), { body: { Name: 'x' } })
  assert.equal(unknown.status, 404)
})
