import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer, v } from './rest-test-server.ts'

let srv: TestServer
let acme = ''
let globex = ''

type QueryResult = {
  totalSize: number
  done: boolean
  nextRecordsUrl?: string
  records: Record<string, unknown>[]
}

const q = async (soql: string, headers: Record<string, string> = {}) =>
  srv.call('GET', v(`/query?q=${encodeURIComponent(soql)}`), { headers })
const rows = async (soql: string) => {
  const r = await q(soql)
  assert.equal(r.status, 200, r.text)
  return r.json as QueryResult
}
const create = async (sobject: string, body: Record<string, unknown>) =>
  ((await srv.call('POST', v(`/sobjects/${sobject}`), { body })).json as { id: string }).id

before(async () => {
  srv = await startTestServer()
  acme = await create('Account', { Name: 'Acme', Industry: 'Retail' })
  globex = await create('Account', { Name: 'Globex', Industry: 'Energy' })
  await create('Contact', { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@acme.test', AccountId: acme })
  await create('Contact', { FirstName: 'Alan', LastName: 'Turing', Email: 'alan@acme.test', AccountId: acme })
  await create('Contact', {
    FirstName: 'Grace',
    LastName: 'Hopper',
    Email: 'grace@globex.test',
    AccountId: globex,
  })
  await create('Contact', { LastName: 'Orphan' })
})
after(() => srv.close())

test('field lists, WHERE with =, ORDER BY and attributes on every record', async () => {
  const r = await rows(
    "SELECT Id, Name, Email FROM Contact WHERE AccountId = '" + acme + "' ORDER BY LastName DESC",
  )
  assert.equal(r.totalSize, 2)
  assert.equal(r.done, true)
  assert.equal(r.nextRecordsUrl, undefined)
  assert.deepEqual(
    r.records.map((x) => x.Name),
    ['Alan Turing', 'Ada Lovelace'],
  )
  const first = r.records[0] as Record<string, unknown>
  assert.deepEqual(Object.keys(first), ['attributes', 'Id', 'Name', 'Email'])
  assert.deepEqual(first.attributes, {
    type: 'Contact',
    url: `/services/data/v66.0/sobjects/Contact/${first.Id}`,
  })
})

test('parent fields through dots, null when there is no parent', async () => {
  const r = await rows('SELECT LastName, Account.Name, Account.Industry FROM Contact ORDER BY LastName')
  const byName = new Map(r.records.map((x) => [x.LastName, x.Account]))
  assert.deepEqual(byName.get('Hopper'), {
    attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${globex}` },
    Name: 'Globex',
    Industry: 'Energy',
  })
  assert.equal(byName.get('Orphan'), null)
  const filtered = await rows(
    "SELECT LastName FROM Contact WHERE Account.Industry = 'retail' ORDER BY LastName",
  )
  assert.deepEqual(
    filtered.records.map((x) => x.LastName),
    ['Lovelace', 'Turing'],
  )
})

test('!=, IN, NOT IN, LIKE, AND, OR and parentheses', async () => {
  const names = async (where: string) =>
    (await rows(`SELECT LastName FROM Contact WHERE ${where} ORDER BY LastName`)).records.map(
      (x) => x.LastName,
    )
  assert.deepEqual(await names("LastName != 'Turing' AND Email != null"), ['Hopper', 'Lovelace'])
  assert.deepEqual(await names("LastName IN ('Hopper', 'Turing')"), ['Hopper', 'Turing'])
  assert.deepEqual(await names("LastName NOT IN ('Hopper', 'Turing', 'Seeded')"), ['Lovelace', 'Orphan'])
  assert.deepEqual(await names("Email LIKE '%@ACME.test'"), ['Lovelace', 'Turing'])
  assert.deepEqual(await names("FirstName LIKE 'A_a'"), ['Lovelace'])
  assert.deepEqual(await names("(FirstName = 'Grace' OR FirstName = 'Alan') AND NOT LastName = 'Turing'"), [
    'Hopper',
  ])
  assert.deepEqual(await names("AccountId IN ('" + acme.slice(0, 15) + "')"), ['Lovelace', 'Turing'])
  assert.deepEqual(await names('Email = null'), ['Orphan', 'Seeded'])
})

test('LIMIT, OFFSET, COUNT() and child subqueries', async () => {
  const limited = await rows('SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1')
  assert.deepEqual(
    limited.records.map((x) => x.Name),
    ['Globex', 'Seed Account'],
  )
  const count = await rows('SELECT COUNT() FROM Contact')
  assert.equal(count.totalSize, 5)
  assert.deepEqual(count.records, [])
  const nested = await rows(
    `SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id IN ('${acme}', '${globex}') ORDER BY Name`,
  )
  const contacts = nested.records[0]?.Contacts as QueryResult
  assert.equal(contacts.totalSize, 2)
  assert.equal(contacts.done, true)
  assert.deepEqual(
    contacts.records.map((x) => x.LastName),
    ['Lovelace', 'Turing'],
  )
})

test('custom lookups give their parent a __r child relationship', async () => {
  const [ada] = (await rows("SELECT Id FROM Contact WHERE LastName = 'Lovelace'")).records
  await create('Customer__c', { Name: 'Linked', Contact__c: ada?.Id })
  const r = await rows(
    "SELECT LastName, (SELECT Name, Contact__r.LastName FROM Customers__r) FROM Contact WHERE LastName = 'Lovelace'",
  )
  const nested = r.records[0]?.Customers__r as QueryResult
  assert.deepEqual(Object.keys(nested), ['totalSize', 'done', 'records'])
  assert.equal(nested.records[0]?.Name, 'Linked')
  assert.equal((nested.records[0]?.Contact__r as Record<string, unknown> | undefined)?.LastName, 'Lovelace')
})

test('paging: nextRecordsUrl locators hand out every record once, then done', async () => {
  for (let i = 0; i < 450; i++)
    await create('Customer__c', { Name: `C${String(i).padStart(3, '0')}`, Score__c: i })
  const first = await q('SELECT Name, Score__c FROM Customer__c WHERE Score__c != null ORDER BY Score__c', {
    'Sforce-Query-Options': 'batchSize=200',
  })
  const page1 = first.json as QueryResult
  assert.equal(page1.totalSize, 450)
  assert.equal(page1.done, false)
  assert.equal(page1.records.length, 200)
  assert.match(page1.nextRecordsUrl ?? '', /^\/services\/data\/v66\.0\/query\/01g[0-9A-Za-z]{15}-200$/)
  const seen = page1.records.map((x) => x.Score__c)
  let next = page1.nextRecordsUrl
  let pages = 1
  while (next) {
    const r = await srv.call('GET', next)
    assert.equal(r.status, 200)
    const page = r.json as QueryResult
    seen.push(...page.records.map((x) => x.Score__c))
    next = page.nextRecordsUrl
    pages++
    if (next === undefined) assert.equal(page.done, true)
  }
  assert.equal(pages, 3)
  assert.deepEqual(
    seen,
    Array.from({ length: 450 }, (_, i) => i),
  )
  const stale = await srv.call('GET', v('/query/01g5g0000000000AAA-200'))
  assert.equal(stale.status, 400)
  assert.equal((stale.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_QUERY_LOCATOR')
})

test('query errors: MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE', async () => {
  const code = async (soql: string) => {
    const r = await q(soql)
    assert.equal(r.status, 400, soql)
    return (r.json as { errorCode: string; message: string }[])[0]
  }
  assert.equal((await code('SELECT FROM Contact'))?.errorCode, 'MALFORMED_QUERY')
  assert.equal(
    (await code("SELECT Id FROM Contact WHERE LastName = 'x' extra"))?.errorCode,
    'MALFORMED_QUERY',
  )
  assert.equal((await code('SELECT Id FROM Contact WHERE'))?.errorCode, 'MALFORMED_QUERY')
  const field = await code('SELECT Id, Bogus FROM Contact')
  assert.deepEqual(field, {
    message: "No such column 'Bogus' on entity 'Contact'",
    errorCode: 'INVALID_FIELD',
  })
  assert.equal((await code('SELECT Id FROM Contact WHERE Nope.Name = 1'))?.errorCode, 'INVALID_FIELD')
  assert.equal((await code('SELECT Id FROM Widget__c'))?.errorCode, 'INVALID_TYPE')
  assert.equal((await code('SELECT Id FROM Order_Shipped__e'))?.errorCode, 'INVALID_TYPE')
  assert.equal((await code('SELECT Id FROM ContentDocumentLink'))?.errorCode, 'MALFORMED_QUERY')
})

test('relative date literals cover whole UTC days', async () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  for (const offset of [-10, -1, 0, 3]) {
    await create('Customer__c', { Name: `D${offset}`, Signed_On__c: day(offset), External_Id__c: 'dates' })
  }
  const names = async (cond: string) =>
    (
      await rows(
        `SELECT Name FROM Customer__c WHERE External_Id__c = 'dates' AND ${cond} ORDER BY Signed_On__c`,
      )
    ).records.map((x) => x.Name)
  assert.deepEqual(await names('Signed_On__c = TODAY'), ['D0'])
  assert.deepEqual(await names('Signed_On__c = YESTERDAY'), ['D-1'])
  assert.deepEqual(await names('Signed_On__c = LAST_N_DAYS:5'), ['D-1', 'D0'])
  assert.deepEqual(await names('Signed_On__c < LAST_N_DAYS:5'), ['D-10'])
  assert.deepEqual(await names('Signed_On__c = NEXT_N_DAYS:7'), ['D3'])
  assert.deepEqual(await names(`Signed_On__c >= ${day(-1)}`), ['D-1', 'D0', 'D3'])
  assert.equal((await rows('SELECT COUNT() FROM Account WHERE CreatedDate = TODAY')).totalSize, 3)
})

test('queryAll includes deleted records, query does not', async () => {
  const id = await create('Account', { Name: 'Gone Inc' })
  await srv.call('DELETE', v(`/sobjects/Account/${id}`))
  const soql = encodeURIComponent("SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone Inc'")
  const live = (await srv.call('GET', v(`/query?q=${soql}`))).json as QueryResult
  const all = (await srv.call('GET', v(`/queryAll?q=${soql}`))).json as QueryResult
  assert.equal(live.totalSize, 0)
  assert.equal(all.totalSize, 1)
  assert.equal(all.records[0]?.IsDeleted, true)
})
