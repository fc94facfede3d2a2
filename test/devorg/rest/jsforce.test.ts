// A real Salesforce client, written by nobody here, against the REST slice.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import jsforce from 'jsforce'
import { SEED_ACCOUNT, startTestServer, type TestServer } from './rest-test-server.ts'

let srv: TestServer
let conn: jsforce.Connection
before(async () => {
  srv = await startTestServer()
  conn = new jsforce.Connection({ instanceUrl: srv.url, accessToken: 'good', version: '66.0' })
})
after(() => srv.close())

test('jsforce creates, retrieves, updates and deletes a record', async () => {
  const created = await conn.sobject('Account').create({ Name: 'Jsforce Co' })
  assert.equal(created.success, true)
  const id = created.id as string
  const rec = await conn.sobject('Account').retrieve(id)
  assert.equal(rec.Name, 'Jsforce Co')
  const updated = await conn.sobject('Account').update({ Id: id, Industry: 'Media' })
  assert.equal(updated.success, true)
  assert.equal((await conn.sobject('Account').retrieve(id)).Industry, 'Media')
  assert.equal((await conn.sobject('Account').destroy(id)).success, true)
  await assert.rejects(conn.sobject('Account').retrieve(id), { errorCode: 'ENTITY_IS_DELETED' })
  assert.equal(conn.limitInfo.apiUsage?.limit, 15000)
})

test('jsforce upserts by external ID: insert then update, never duplicated', async () => {
  const first = await conn
    .sobject('Contact')
    .upsert({ Customer_Id__c: 'REG-1', LastName: 'Hopper' }, 'Customer_Id__c')
  assert.equal(first.success, true)
  assert.equal((first as { created?: boolean }).created, true)
  const second = await conn
    .sobject('Contact')
    .upsert({ Customer_Id__c: 'REG-1', FirstName: 'Grace', LastName: 'Hopper' }, 'Customer_Id__c')
  assert.equal(second.success, true)
  assert.equal((second as { created?: boolean }).created, false)
  const found = await conn.query<{ Id: string; Name: string }>(
    "SELECT Id, Name FROM Contact WHERE Customer_Id__c = 'REG-1'",
  )
  assert.equal(found.totalSize, 1)
  assert.equal(found.records[0]?.Name, 'Grace Hopper')
})

test('jsforce queries with parent fields and follows nextRecordsUrl with autoFetch', async () => {
  for (let i = 0; i < 230; i++) await conn.sobject('Customer__c').create({ Name: `J${i}`, Score__c: i })
  const result = await conn
    .query<{ Name: string }>('SELECT Name FROM Customer__c ORDER BY Score__c', {
      autoFetch: true,
      maxFetch: 1000,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    })
    .run({ autoFetch: true, maxFetch: 1000 })
  assert.equal(result.records.length, 230)
  assert.ok(srv.requests.some((r) => /^GET \/services\/data\/v66\.0\/query\/01g[0-9A-Za-z]{15}-200$/.test(r)))
  assert.equal(result.records[229]?.Name, 'J229')

  const contacts = await conn.query<{ LastName: string; Account: { Name: string } | null }>(
    `SELECT LastName, Account.Name FROM Contact WHERE AccountId = '${SEED_ACCOUNT}'`,
  )
  assert.equal(contacts.records[0]?.Account?.Name, 'Seed Account')
})

test('jsforce uploads a file as base64 JSON and reads the bytes back', async () => {
  const bytes = Buffer.from('signed contract')
  const created = await conn.sobject('ContentVersion').create({
    Title: 'Signed',
    PathOnClient: 'signed.txt',
    VersionData: bytes.toString('base64'),
    FirstPublishLocationId: SEED_ACCOUNT,
  })
  assert.equal(created.success, true)
  const version = await conn.sobject('ContentVersion').retrieve(created.id as string)
  assert.match(String(version.ContentDocumentId), /^069/)
  const body = await conn.request<string>(String(version.VersionData))
  assert.equal(body, 'signed contract')
})

test('jsforce uploads a file as multipart', async () => {
  const created = await conn
    .sobject('ContentVersion')
    .create(
      { PathOnClient: 'deck.pdf', VersionData: Buffer.from('%PDF deck').toString('base64') },
      { multipartFileFields: { VersionData: { contentType: 'application/pdf', filename: 'deck.pdf' } } },
    )
  assert.equal(created.success, true)
  const version = await conn.sobject('ContentVersion').retrieve(created.id as string)
  assert.equal(version.FileType, 'PDF')
  assert.equal(version.ContentSize, 9)
})

test('jsforce array operations go through sObject Collections', async () => {
  const created = await conn.sobject('Account').create([{ Name: 'Arr 1' }, { Name: 'Arr 2' }])
  assert.deepEqual(
    created.map((r) => r.success),
    [true, true],
  )
  const ids = created.map((r) => r.id as string)
  const upserted = await conn.sobject('Contact').upsert(
    [
      { Customer_Id__c: 'ARR-1', LastName: 'A' },
      { Customer_Id__c: 'ARR-2', LastName: 'B' },
    ],
    'Customer_Id__c',
  )
  assert.deepEqual(
    upserted.map((r) => r.success),
    [true, true],
  )
  const read = await conn.sobject('Account').retrieve(ids, { fields: ['Name'] })
  assert.deepEqual(
    read.map((r) => r?.Name),
    ['Arr 1', 'Arr 2'],
  )
  const destroyed = await conn.sobject('Account').destroy(ids)
  assert.deepEqual(
    destroyed.map((r) => r.success),
    [true, true],
  )
  assert.ok(
    srv.requests.some((r) =>
      r.startsWith('PATCH /services/data/v66.0/composite/sobjects/Contact/Customer_Id__c'),
    ),
  )
})

test('jsforce surfaces REST errors by errorCode and 401 as a session error', async () => {
  await assert.rejects(conn.sobject('Account').create({ Bogus__c: 1 }), { errorCode: 'INVALID_FIELD' })
  await assert.rejects(async () => conn.query('SELECT FROM Account').run(), { errorCode: 'MALFORMED_QUERY' })
  const bad = new jsforce.Connection({ instanceUrl: srv.url, accessToken: 'expired', version: '66.0' })
  await assert.rejects(async () => bad.query('SELECT Id FROM Account').run(), {
    errorCode: 'INVALID_SESSION_ID',
  })
})
