import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SEED_ACCOUNT, startTestServer, type TestServer, v } from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

type Item = {
  id?: string
  success: boolean
  errors: { statusCode: string; message: string; fields: string[] }[]
  created?: boolean
}

test('collections create records of several types; errors use statusCode', async () => {
  const r = await srv.call('POST', v('/composite/sobjects'), {
    body: {
      records: [
        { attributes: { type: 'Account' }, Name: 'Batch A' },
        { attributes: { type: 'Contact' }, FirstName: 'No last name' },
        { attributes: { type: 'Contact' }, LastName: 'Batch', AccountId: SEED_ACCOUNT },
      ],
    },
  })
  assert.equal(r.status, 200)
  const [a, bad, c] = r.json as Item[]
  assert.match(a?.id ?? '', /^001/)
  assert.equal(a?.success, true)
  assert.deepEqual(bad, {
    success: false,
    errors: [
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
    ],
  })
  assert.match(c?.id ?? '', /^003/)
})

test('allOrNone rolls every record back when one fails', async () => {
  const r = await srv.call('POST', v('/composite/sobjects'), {
    body: {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'Rolled Back' },
        { attributes: { type: 'Account' }, Nope__c: 1 },
      ],
    },
  })
  const [first, second] = r.json as Item[]
  assert.equal(first?.success, false)
  assert.equal(first?.errors[0]?.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK')
  assert.equal(second?.errors[0]?.statusCode, 'INVALID_FIELD')
  const q = await srv.call(
    'GET',
    v(`/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Rolled Back'")}`),
  )
  assert.equal((q.json as { totalSize: number }).totalSize, 0)
})

test('collections update, upsert, retrieve and delete', async () => {
  const upserted = await srv.call('PATCH', v('/composite/sobjects/Contact/Customer_Id__c'), {
    body: {
      records: [
        { attributes: { type: 'Contact' }, Customer_Id__c: 'K-1', LastName: 'One' },
        { attributes: { type: 'Contact' }, Customer_Id__c: 'K-2', LastName: 'Two' },
      ],
    },
  })
  const items = upserted.json as Item[]
  assert.deepEqual(
    items.map((i) => [i.success, i.created]),
    [
      [true, true],
      [true, true],
    ],
  )
  const again = await srv.call('PATCH', v('/composite/sobjects/Contact/Customer_Id__c'), {
    body: { records: [{ attributes: { type: 'Contact' }, Customer_Id__c: 'K-1', FirstName: 'Kay' }] },
  })
  assert.deepEqual(again.json, [{ id: items[0]?.id, success: true, errors: [], created: false }])

  const ids = items.map((i) => i.id as string)
  const updated = await srv.call('PATCH', v('/composite/sobjects'), {
    body: { records: ids.map((Id) => ({ attributes: { type: 'Contact' }, Id, Title: 'Batch' })) },
  })
  assert.deepEqual(
    (updated.json as Item[]).map((i) => i.success),
    [true, true],
  )
  const got = await srv.call(
    'GET',
    v(`/composite/sobjects/Contact?ids=${ids.join(',')},003000000000000&fields=Name,Title`),
  )
  const records = got.json as ({ Name: string; Title: string } | null)[]
  assert.deepEqual(
    records.map((x) => x && [x.Name, x.Title]),
    [['Kay One', 'Batch'], ['Two', 'Batch'], null],
  )
  const deleted = await srv.call('DELETE', v(`/composite/sobjects?ids=${ids.join(',')}`))
  assert.deepEqual(
    (deleted.json as Item[]).map((i) => [i.id, i.success]),
    ids.map((id) => [id, true]),
  )
  const twice = await srv.call('DELETE', v(`/composite/sobjects?ids=${ids[0]}`))
  assert.equal((twice.json as Item[])[0]?.errors[0]?.statusCode, 'ENTITY_IS_DELETED')
})

test('more than 200 records in one collection is refused', async () => {
  const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `N${i}` }))
  const r = await srv.call('POST', v('/composite/sobjects'), { body: { records } })
  assert.equal(r.status, 400)
  assert.equal((r.json as { errorCode: string }[])[0]?.errorCode, 'EXCEEDED_ID_LIMIT')
})
