import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, type DevOrgSeed, startDevOrg } from '../../devorg/index.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'
import { devorgWriteYaml, salesforceScheme, soql, userToken } from './salesforce-target-support.ts'

const CUSTOMER_TEMPLATE = `#set($c = $input.path('$'))
{"Customer_Id__c": "$util.escapeJavaScript($c.customerId)", "FirstName": "$util.escapeJavaScript($c.firstName)", "LastName": "$util.escapeJavaScript($c.lastName)", "Email": "$util.escapeJavaScript($c.email)"}`

const upsert = (extra: Record<string, unknown> = {}) => ({
  'x-forcegate-salesforce-integration': {
    org: 'devorg',
    credential: 'integrationUser',
    operation: 'upsert',
    sobject: 'Contact',
    externalIdField: 'Customer_Id__c',
    requestTemplates: { 'application/json': CUSTOMER_TEMPLATE },
    ...extra,
  },
})

function api() {
  return openapi(
    {
      '/customers': { post: upsert() },
      '/customers/batch': { post: upsert({ requestTemplates: {} }) },
      '/customers/by-unknown-field': {
        post: upsert({ externalIdField: 'No_Such_Field__c', requestTemplates: {} }),
      },
      '/contact-roles': {
        post: {
          security: [{ salesforce: ['api'] }],
          'x-forcegate-salesforce-integration': {
            org: 'devorg',
            credential: 'caller',
            operation: 'create',
            sobject: 'OpportunityContactRole',
          },
        },
      },
    },
    { components: { securitySchemes: { salesforce: salesforceScheme } } },
  )
}

async function startPair(seed?: DevOrgSeed): Promise<{ org: DevOrg; gw: TestGateway }> {
  const org = await startDevOrg({ port: 0, ...(seed === undefined ? {} : { seed }) })
  const gw = await startTestGateway(
    api(),
    {},
    [...devorgWriteYaml(org, 'TEST_SF_GATEWAY_SECRET'), ''].join('\n'),
  )
  return { org, gw }
}

const post = (gw: TestGateway, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('Salesforce as an integration target (dev org over real HTTP)', () => {
  let org: DevOrg
  let gw: TestGateway
  before(async () => {
    ;({ org, gw } = await startPair())
  })
  after(async () => {
    await gw?.close()
    await org?.close()
  })

  test('the same registration twice is one Contact: 201 created, then 200 updated', async () => {
    const customer = { customerId: 'REG-1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }
    const first = await post(gw, '/customers', customer)
    assert.equal(first.status, 201)
    const created = (await first.json()) as { id: string; created: boolean }
    assert.equal(created.created, true)
    assert.match(created.id, /^003/)
    const second = await post(gw, '/customers', { ...customer, lastName: 'King' })
    assert.equal(second.status, 200)
    assert.deepEqual(await second.json(), { id: created.id, created: false, success: true })
    const rows = await soql(org, "SELECT Id, LastName FROM Contact WHERE Customer_Id__c = 'REG-1'")
    assert.equal(rows.totalSize, 1)
    assert.equal(rows.records[0]!.LastName, 'King')
  })

  test('a collection answers per record, in order, a failing record failing alone (207)', async () => {
    const res = await post(gw, '/customers/batch', [
      { Customer_Id__c: 'BATCH-1', LastName: 'One' },
      { Customer_Id__c: 'BATCH-2', FirstName: 'No last name' },
      { Customer_Id__c: 'CUST-0001', LastName: 'Coyote' },
    ])
    assert.equal(res.status, 207)
    const body = (await res.json()) as {
      created: number
      updated: number
      failed: number
      results: { externalId: string; success: boolean; created: boolean; errors?: { errorCode: string }[] }[]
    }
    assert.deepEqual([body.created, body.updated, body.failed], [1, 1, 1])
    assert.deepEqual(
      body.results.map((r) => [r.externalId, r.success, r.created]),
      [
        ['BATCH-1', true, true],
        ['BATCH-2', false, false],
        ['CUST-0001', true, false],
      ],
    )
    assert.equal(body.results[1]!.errors?.[0]?.errorCode, 'REQUIRED_FIELD_MISSING')
  })

  test('more than 200 records in one request are refused before calling the org', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ Customer_Id__c: `MANY-${i}`, LastName: 'X' }))
    const res = await post(gw, '/customers/batch', records)
    assert.equal(res.status, 400)
    assert.match(((await res.json()) as { message: string }).message, /1 to 200 records/)
    assert.equal((await soql(org, "SELECT COUNT() FROM Contact WHERE LastName = 'X'")).totalSize, 0)
  })

  test('DUPLICATES_DETECTED (duplicateResut, as real orgs spell it) is 409 naming the matching record', async () => {
    const res = await post(gw, '/customers', {
      customerId: 'DUP-1',
      firstName: 'Wile',
      lastName: 'Again',
      email: 'wile@acme.example.com',
    })
    assert.equal(res.status, 409)
    const body = (await res.json()) as { errorCode: string; duplicates: string[]; duplicateRule: string }
    assert.equal(body.errorCode, 'DUPLICATES_DETECTED')
    assert.deepEqual(
      body.duplicates.map((id) => id.slice(0, 15)),
      ['0035g00000Wile1'],
    )
    assert.equal(body.duplicateRule, 'Standard_Contact_Duplicate_Rule')
  })

  test('several records with the external ID (300 Multiple Choices) is 409 listing them', async () => {
    for (const last of ['Twin A', 'Twin B'])
      assert.equal(
        (await post(gw, '/customers/batch', [{ Customer_Id__c: `TWIN-${last}`, LastName: last }])).status,
        200,
      )
    // Two Contacts made to share one external ID behind the gateway's back.
    const token = await userToken(org, 'admin@partner.example.com', 'Partner-Admin-1')
    const twins = await soql(org, "SELECT Id FROM Contact WHERE LastName LIKE 'Twin%'")
    for (const row of twins.records)
      await fetch(`${org.url}/services/data/v62.0/sobjects/Contact/${row.Id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Customer_Id__c: 'TWIN' }),
      })
    const res = await post(gw, '/customers', {
      customerId: 'TWIN',
      firstName: 'T',
      lastName: 'Twin',
      email: 't@example.com',
    })
    assert.equal(res.status, 409)
    const body = (await res.json()) as { errorCode: string; matches: string[] }
    assert.equal(body.errorCode, 'MULTIPLE_CHOICES')
    assert.deepEqual(body.matches.sort(), twins.records.map((r) => r.Id as string).sort())
  })

  test('an external ID field the org does not have is 404 with its errorCode', async () => {
    const res = await post(gw, '/customers/by-unknown-field', { No_Such_Field__c: 'X-1', LastName: 'X' })
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'NOT_FOUND')
  })

  test('REQUEST_LIMIT_EXCEEDED that clears is retried with backoff: the write succeeds', async () => {
    org.faults.requestLimitExceededNext = 2
    const res = await post(gw, '/customers', {
      customerId: 'LIMIT-1',
      firstName: 'L',
      lastName: 'Imit',
      email: 'l1@example.com',
    })
    assert.equal(res.status, 201)
    assert.equal(org.faults.requestLimitExceededNext, 0)
  })

  test('REQUEST_LIMIT_EXCEEDED that persists is 503 with Retry-After after the retries', async () => {
    org.faults.requestLimitExceeded = true
    try {
      const res = await post(gw, '/customers', {
        customerId: 'LIMIT-2',
        firstName: 'L',
        lastName: 'Imit',
        email: 'l2@example.com',
      })
      assert.equal(res.status, 503)
      assert.ok(Number(res.headers.get('retry-after')) > 0)
      const body = (await res.json()) as { errorCode: string; attempts: number; apiUsage: { max: number } }
      assert.equal(body.errorCode, 'REQUEST_LIMIT_EXCEEDED')
      assert.equal(body.attempts, 4)
      assert.equal(body.apiUsage.max, 15000)
    } finally {
      org.faults.requestLimitExceeded = false
    }
  })

  test('503 that clears is retried; one that persists is 503 SERVER_UNAVAILABLE', async () => {
    org.faults.unavailableNext = 2
    const ok = await post(gw, '/customers', {
      customerId: 'AVAIL-1',
      firstName: 'A',
      lastName: 'Vail',
      email: 'a1@example.com',
    })
    assert.equal(ok.status, 201)
    org.faults.unavailableNext = 10
    try {
      const res = await post(gw, '/customers', {
        customerId: 'AVAIL-2',
        firstName: 'A',
        lastName: 'Vail',
        email: 'a2@example.com',
      })
      assert.equal(res.status, 503)
      assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'SERVER_UNAVAILABLE')
    } finally {
      org.faults.unavailableNext = 0
    }
  })

  test('as the caller, the org sharing decides: a deal the caller may not edit is 403, never the token', async () => {
    const token = await userToken(org, 'sales@forcegate.example.com', 'Sales-Rep-1')
    // Sam owns Globex and may not edit Acme Factory Automation (Pat's, not shared with Sam).
    const allowed = await post(
      gw,
      '/contact-roles',
      { OpportunityId: '0065g00000Glbx1', ContactId: '0035g00000Hank1', Role: 'Evaluator' },
      { authorization: `Bearer ${token}` },
    )
    assert.equal(allowed.status, 201, await allowed.clone().text())
    const refused = await post(
      gw,
      '/contact-roles',
      { OpportunityId: '0065g00000Acme1', ContactId: '0035g00000Wile1', Role: 'Evaluator' },
      { authorization: `Bearer ${token}` },
    )
    const text = await refused.text()
    assert.equal(refused.status, 403)
    assert.match(JSON.parse(text).errorCode, /^INSUFFICIENT_ACCESS/)
    assert.equal(text.includes(token), false)
    assert.equal(text.includes(token.split('!')[1]!), false)
  })

  test('a body that is not JSON is 400 before calling the org', async () => {
    const res = await fetch(`${gw.url}/customers/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    })
    assert.equal(res.status, 400)
  })
})

describe('the duplicate result key spelled as documented (duplicateResult)', () => {
  let org: DevOrg
  let gw: TestGateway
  before(async () => {
    const seed = JSON.parse(
      readFileSync(new URL('../../devorg/seed/default-seed.json', import.meta.url), 'utf8'),
    ) as DevOrgSeed
    seed.duplicateRules = (seed.duplicateRules ?? []).map((r) => ({
      ...r,
      resultKey: 'duplicateResult' as const,
    }))
    ;({ org, gw } = await startPair(seed))
  })
  after(async () => {
    await gw?.close()
    await org?.close()
  })

  test('is read the same: 409 naming the matching record', async () => {
    const res = await post(gw, '/customers', {
      customerId: 'DUP-2',
      firstName: 'Hank',
      lastName: 'Again',
      email: 'hank@globex.example.com',
    })
    assert.equal(res.status, 409)
    const body = (await res.json()) as { errorCode: string; duplicates: string[] }
    assert.equal(body.errorCode, 'DUPLICATES_DETECTED')
    assert.deepEqual(
      body.duplicates.map((id) => id.slice(0, 15)),
      ['0035g00000Hank1'],
    )
  })
})
