import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer, v } from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

type Sub = { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }
const composite = async (body: unknown) => {
  const r = await srv.call('POST', v('/composite'), { body })
  assert.equal(r.status, 200, r.text)
  return (r.json as { compositeResponse: Sub[] }).compositeResponse
}
const base = '/services/data/v66.0'
const codeOf = (sub: Sub | undefined) => (sub?.body as { errorCode: string }[] | undefined)?.[0]?.errorCode
const idOf = (sub: Sub | undefined) => (sub?.body as { id: string } | undefined)?.id

test('subrequests run in order and use earlier results through @{ref.path}', async () => {
  const usedBefore = Number(
    /api-usage=(\d+)/.exec((await srv.call('GET', v('/limits'))).headers.get('sforce-limit-info') ?? '')?.[1],
  )
  const out = await composite({
    compositeRequest: [
      {
        method: 'POST',
        url: `${base}/sobjects/Account`,
        referenceId: 'acct',
        body: { Name: 'Composite Co' },
      },
      {
        method: 'POST',
        url: `${base}/sobjects/Contact`,
        referenceId: 'ct',
        body: { LastName: 'Lovelace', AccountId: '@{acct.id}' },
      },
      {
        method: 'GET',
        url: `${base}/query?q=SELECT+Id,Account.Name+FROM+Contact+WHERE+Id='@{ct.id}'`,
        referenceId: 'q',
      },
      {
        method: 'PATCH',
        url: `${base}/sobjects/Account/@{q.records[0].Account.attributes.url}`,
        referenceId: 'bad',
      },
    ],
  })
  const [acct, ct, q] = out
  assert.equal(acct?.httpStatusCode, 201)
  const acctId = idOf(acct)
  assert.deepEqual(acct?.httpHeaders, { Location: `${base}/sobjects/Account/${acctId}` })
  assert.equal(ct?.httpStatusCode, 201)
  assert.equal(q?.referenceId, 'q')
  const records = (q?.body as { records: { Account: { Name: string } }[] } | undefined)?.records ?? []
  assert.equal(records[0]?.Account.Name, 'Composite Co')
  assert.equal(out[3]?.httpStatusCode, 404)
  const usedAfter = Number(
    /api-usage=(\d+)/.exec((await srv.call('GET', v('/limits'))).headers.get('sforce-limit-info') ?? '')?.[1],
  )
  assert.equal(usedAfter, usedBefore + 2, 'the composite call counts as one API call')
})

test('without allOrNone a failed subrequest leaves the others applied', async () => {
  const out = await composite({
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'ok', body: { Name: 'Kept Co' } },
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'bad', body: { Nope__c: 1 } },
      { method: 'GET', url: `${base}/sobjects/Account/@{bad.id}`, referenceId: 'after' },
    ],
  })
  assert.deepEqual(
    out.map((s) => s.httpStatusCode),
    [201, 400, 400],
  )
  assert.equal(codeOf(out[1]), 'INVALID_FIELD')
  assert.equal(codeOf(out[2]), 'PROCESSING_HALTED')
  const kept = await srv.call('GET', v(`/sobjects/Account/${idOf(out[0])}`))
  assert.equal(kept.status, 200)
})

test('allOrNone rolls back every write, published events included, and halts the rest', async () => {
  const eventsBefore = srv.api.publishedEvents().length
  const out = await composite({
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'a', body: { Name: 'Ghost Co' } },
      {
        method: 'POST',
        url: `${base}/sobjects/Order_Shipped__e`,
        referenceId: 'e',
        body: { Order_Number__c: 'G-1' },
      },
      { method: 'POST', url: `${base}/sobjects/Opportunity`, referenceId: 'o', body: { Name: 'No stage' } },
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'never', body: { Name: 'Never Co' } },
    ],
  })
  assert.deepEqual(
    out.map((s) => [s.referenceId, s.httpStatusCode]),
    [
      ['a', 400],
      ['e', 400],
      ['o', 400],
      ['never', 400],
    ],
  )
  assert.equal(codeOf(out[0]), 'PROCESSING_HALTED')
  assert.equal(codeOf(out[2]), 'REQUIRED_FIELD_MISSING')
  assert.equal(codeOf(out[3]), 'PROCESSING_HALTED')
  const ghosts = await srv.call(
    'GET',
    v(`/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name IN ('Ghost Co', 'Never Co')")}`),
  )
  assert.equal((ghosts.json as { totalSize: number }).totalSize, 0)
  assert.equal(srv.api.publishedEvents().length, eventsBefore)
})

test('malformed composite requests are refused as a whole', async () => {
  const tooMany = Array.from({ length: 26 }, (_, i) => ({
    method: 'GET',
    url: `${base}/limits`,
    referenceId: `r${i}`,
  }))
  assert.equal((await srv.call('POST', v('/composite'), { body: { compositeRequest: tooMany } })).status, 400)
  const nested = [{ method: 'POST', url: `${base}/composite`, referenceId: 'n', body: {} }]
  assert.equal((await srv.call('POST', v('/composite'), { body: { compositeRequest: nested } })).status, 400)
  const dup = [
    { method: 'GET', url: `${base}/limits`, referenceId: 'x' },
    { method: 'GET', url: `${base}/limits`, referenceId: 'x' },
  ]
  assert.equal((await srv.call('POST', v('/composite'), { body: { compositeRequest: dup } })).status, 400)
  assert.equal((await srv.call('GET', v('/composite'))).status, 405)
})
