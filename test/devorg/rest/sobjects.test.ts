import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  SEED_ACCOUNT,
  SEED_CONTACT,
  startTestServer,
  type TestServer,
  USER_ID,
  v,
} from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

test('GET /services/data lists versions without a token, current and older ones', async () => {
  const r = await srv.call('GET', '/services/data/', { token: null })
  assert.equal(r.status, 200)
  const list = r.json as { label: string; url: string; version: string }[]
  assert.deepEqual(list.at(-1), { label: "Winter '27", url: '/services/data/v68.0', version: '68.0' })
  assert.ok(list.some((e) => e.version === '66.0' && e.label === "Spring '26"))
  assert.ok(list.some((e) => e.version === '50.0'))
  const plain = await srv.call('GET', '/services/data', { token: null })
  assert.deepEqual(plain.json, r.json)
})

test('a missing or unknown token is 401 INVALID_SESSION_ID as a JSON array', async () => {
  for (const token of [null, 'bad']) {
    const r = await srv.call('GET', v('/sobjects'), { token })
    assert.equal(r.status, 401)
    assert.deepEqual(r.json, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
  }
})

test('the OAuth authorization scheme works like Bearer', async () => {
  const r = await srv.call('GET', v('/'), { headers: { Authorization: 'OAuth good' } })
  assert.equal(r.status, 200)
  assert.equal((r.json as Record<string, string>).sobjects, '/services/data/v66.0/sobjects')
  const wrong = await srv.call('GET', v('/'), { headers: { Authorization: 'Basic good' } })
  assert.equal(wrong.status, 401)
})

test('Sforce-Limit-Info counts API calls against the 15000 daily allocation', async () => {
  const first = await srv.call('GET', v('/limits'))
  const second = await srv.call('GET', v('/limits'))
  const used = (h: Headers) => Number(/^api-usage=(\d+)\/15000$/.exec(h.get('sforce-limit-info') ?? '')?.[1])
  assert.ok(used(first.headers) >= 1)
  assert.equal(used(second.headers), used(first.headers) + 1)
  const limits = second.json as { DailyApiRequests: { Max: number; Remaining: number } }
  assert.equal(limits.DailyApiRequests.Max, 15000)
  assert.equal(limits.DailyApiRequests.Remaining, 15000 - used(second.headers))
})

test('retired versions are 410, unknown versions and paths 404', async () => {
  assert.equal((await srv.call('GET', v('/sobjects', '30.0'))).status, 410)
  const unknown = await srv.call('GET', v('/sobjects', '99.0'))
  assert.equal(unknown.status, 404)
  assert.deepEqual(unknown.json, [
    { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
  ])
  assert.equal((await srv.call('GET', v('/nothing-here'))).status, 404)
  assert.equal((await srv.call('GET', v('/sobjects/Account', '50.0'))).status, 200)
})

test('describe global lists standard and seed objects with key prefixes', async () => {
  const r = await srv.call('GET', v('/sobjects'))
  assert.equal(r.status, 200)
  const body = r.json as {
    encoding: string
    sobjects: { name: string; keyPrefix: string; custom: boolean }[]
  }
  assert.equal(body.encoding, 'UTF-8')
  const prefix = (n: string) => body.sobjects.find((o) => o.name === n)?.keyPrefix
  assert.equal(prefix('Account'), '001')
  assert.equal(prefix('OpportunityLineItem'), '00k')
  assert.equal(prefix('OpportunityContactRole'), '00K')
  assert.equal(prefix('ContentDocumentLink'), '06A')
  assert.match(prefix('Customer__c') ?? '', /^a[0-9A-Za-z]{2}$/)
  const describe = await srv.call('GET', v('/sobjects/Contact/describe'))
  const fields = (describe.json as { fields: { name: string; externalId: boolean }[] }).fields
  assert.equal(fields.find((f) => f.name === 'Customer_Id__c')?.externalId, true)
})

test('create, read, update and delete an Account with Salesforce-shaped ids and audit fields', async () => {
  const created = await srv.call('POST', v('/sobjects/Account'), {
    body: { name: 'Acme', Industry: 'Retail' },
  })
  assert.equal(created.status, 201)
  const { id, success, errors } = created.json as { id: string; success: boolean; errors: unknown[] }
  assert.equal(success, true)
  assert.deepEqual(errors, [])
  assert.match(id, /^001[0-9A-Za-z]{15}$/)

  const read = await srv.call('GET', v(`/sobjects/Account/${id}`))
  const rec = read.json as Record<string, unknown>
  assert.deepEqual(rec.attributes, { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${id}` })
  assert.equal(rec.Id, id)
  assert.equal(rec.Name, 'Acme')
  assert.equal(rec.OwnerId, USER_ID)
  assert.equal(rec.CreatedById, USER_ID)
  assert.match(String(rec.CreatedDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/)
  assert.equal(rec.Website, null)

  const patched = await srv.call('PATCH', v(`/sobjects/Account/${id.slice(0, 15)}`), {
    body: { Website: 'acme.test' },
  })
  assert.equal(patched.status, 204)
  const some = await srv.call('GET', v(`/sobjects/Account/${id}?fields=Name,Website`))
  assert.deepEqual(Object.keys(some.json as object), ['attributes', 'Name', 'Website'])
  assert.equal((some.json as Record<string, unknown>).Website, 'acme.test')

  assert.equal((await srv.call('DELETE', v(`/sobjects/Account/${id}`))).status, 204)
  const again = await srv.call('DELETE', v(`/sobjects/Account/${id}`))
  assert.equal(again.status, 404)
  assert.equal((again.json as { errorCode: string }[])[0]?.errorCode, 'ENTITY_IS_DELETED')
})

test('field errors come back as REST error arrays', async () => {
  const unknown = await srv.call('POST', v('/sobjects/Account'), { body: { Name: 'X', Nope__c: 1 } })
  assert.equal(unknown.status, 400)
  assert.deepEqual(unknown.json, [
    {
      message: "No such column 'Nope__c' on sobject of type Account",
      errorCode: 'INVALID_FIELD',
      fields: ['Nope__c'],
    },
  ])
  const missing = await srv.call('POST', v('/sobjects/Opportunity'), { body: { Name: 'Deal' } })
  assert.equal(missing.status, 400)
  assert.deepEqual(missing.json, [
    {
      message: 'Required fields are missing: [StageName, CloseDate]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['StageName', 'CloseDate'],
    },
  ])
  const type = await srv.call('POST', v('/sobjects/Widget__c'), { body: {} })
  assert.equal(type.status, 404)
  const readOnly = await srv.call('POST', v('/sobjects/Account'), {
    body: { Name: 'X', CreatedDate: '2020-01-01' },
  })
  assert.equal((readOnly.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE')
  const badJson = await srv.call('POST', v('/sobjects/Account'), {
    raw: '{"Name":',
    headers: { 'Content-Type': 'application/json' },
  })
  assert.equal((badJson.json as { errorCode: string }[])[0]?.errorCode, 'JSON_PARSER_ERROR')
  const badRef = await srv.call('POST', v('/sobjects/Contact'), {
    body: { LastName: 'X', AccountId: SEED_CONTACT },
  })
  assert.equal((badRef.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_CROSS_REFERENCE_KEY')
  const malformed = await srv.call('POST', v('/sobjects/Contact'), {
    body: { LastName: 'X', AccountId: 'abc' },
  })
  assert.equal((malformed.json as { errorCode: string }[])[0]?.errorCode, 'MALFORMED_ID')
  const missingRecord = await srv.call('GET', v('/sobjects/Account/001000000000000'))
  assert.deepEqual(missingRecord.json, [
    { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
  ])
})

test('seed records are loaded with their ids and parents can be named by external ID', async () => {
  const seeded = await srv.call('GET', v(`/sobjects/Contact/${SEED_CONTACT}`))
  assert.equal((seeded.json as Record<string, unknown>).AccountId, SEED_ACCOUNT)
  assert.equal((seeded.json as Record<string, unknown>).Name, 'Sam Seeded')
  await srv.call('PATCH', v('/sobjects/Contact/Customer_Id__c/C-9'), { body: { LastName: 'Nine' } })
  const custom = await srv.call('POST', v('/sobjects/Customer__c'), {
    body: { Name: 'Nine', Contact__r: { Customer_Id__c: 'C-9' }, Score__c: '4.5', Active__c: true },
  })
  assert.equal(custom.status, 201)
  const id = (custom.json as { id: string }).id
  const rec = (await srv.call('GET', v(`/sobjects/Customer__c/${id}`))).json as Record<string, unknown>
  assert.match(String(rec.Contact__c), /^003/)
  assert.equal(rec.Score__c, 4.5)
  const notFound = await srv.call('POST', v('/sobjects/Customer__c'), {
    body: { Contact__r: { Customer_Id__c: 'none' } },
  })
  assert.equal((notFound.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD')
})

test('opportunity line items roll up into the opportunity and contact roles keep one primary', async () => {
  const opp = await srv.call('POST', v('/sobjects/Opportunity'), {
    body: { Name: 'Deal', StageName: 'Closed Won', CloseDate: '2026-12-01', AccountId: SEED_ACCOUNT },
  })
  const oppId = (opp.json as { id: string }).id
  for (const price of [100, 50]) {
    const li = await srv.call('POST', v('/sobjects/OpportunityLineItem'), {
      body: { OpportunityId: oppId, Quantity: 2, UnitPrice: price },
    })
    assert.equal(li.status, 201)
    assert.match((li.json as { id: string }).id, /^00k/)
  }
  const both = await srv.call('POST', v('/sobjects/OpportunityLineItem'), {
    body: { OpportunityId: oppId, Quantity: 1, UnitPrice: 1, TotalPrice: 1 },
  })
  assert.equal((both.json as { errorCode: string }[])[0]?.errorCode, 'FIELD_INTEGRITY_EXCEPTION')
  const read = (await srv.call('GET', v(`/sobjects/Opportunity/${oppId}`))).json as Record<string, unknown>
  assert.equal(read.Amount, 300)
  assert.equal(read.IsWon, true)
  assert.equal(read.HasOpportunityLineItem, true)

  const role = async (isPrimary: boolean) =>
    (
      (
        await srv.call('POST', v('/sobjects/OpportunityContactRole'), {
          body: {
            OpportunityId: oppId,
            ContactId: SEED_CONTACT,
            Role: 'Decision Maker',
            IsPrimary: isPrimary,
          },
        })
      ).json as { id: string }
    ).id
  const first = await role(true)
  assert.match(first, /^00K/)
  await role(true)
  const firstNow = (await srv.call('GET', v(`/sobjects/OpportunityContactRole/${first}`))).json as Record<
    string,
    unknown
  >
  assert.equal(firstNow.IsPrimary, false)

  assert.equal((await srv.call('DELETE', v(`/sobjects/Opportunity/${oppId}`))).status, 204)
  const roleGone = await srv.call('GET', v(`/sobjects/OpportunityContactRole/${first}`))
  assert.equal(roleGone.status, 404)
})

test('unsupported methods are 405 METHOD_NOT_ALLOWED', async () => {
  const r = await srv.call('PUT', v(`/sobjects/Account/${SEED_ACCOUNT}`), { body: {} })
  assert.equal(r.status, 405)
  assert.equal((r.json as { errorCode: string }[])[0]?.errorCode, 'METHOD_NOT_ALLOWED')
})

test('an unexpected failure is 500 UNKNOWN_EXCEPTION and is logged', async () => {
  const lines: string[] = []
  const broken = await startTestServer({
    authenticate: () => {
      throw new Error('token store is down')
    },
    log: (line) => lines.push(line),
  })
  try {
    const r = await broken.call('GET', v('/sobjects'))
    assert.equal(r.status, 500)
    assert.equal((r.json as { errorCode: string }[])[0]?.errorCode, 'UNKNOWN_EXCEPTION')
    assert.equal(lines.length, 1)
    assert.match(lines[0] ?? '', /token store is down/)
  } finally {
    await broken.close()
  }
})
