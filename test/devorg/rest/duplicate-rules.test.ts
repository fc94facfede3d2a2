// Duplicate rules on Contact, seedable: DUPLICATES_DETECTED in Salesforce's shape, under the
// key the seed chooses (real orgs answer `duplicateResut`), forced through by
// `Sforce-Duplicate-Rule-Header: allowSave=true` only for "allow" rules, and per record in
// sObject Collections upserts.

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import type jsforce from 'jsforce'
import { DEFAULT_SEED_PATH } from '../../../devorg/seed/load-seed.ts'
import type { DevOrgSeed } from '../../../devorg/seed/seed-types.ts'
import { type SeededOrg, startSeededOrg, WILE } from './seeded-org.ts'

type Rec = Record<string, unknown>
type DuplicateResult = {
  allowSave: boolean
  duplicateRule: string
  duplicateRuleEntityType: string
  errorMessage: string
  matchResults: {
    entityType: string
    matchEngine: string
    rule: string
    size: number
    success: boolean
    matchRecords: {
      matchConfidence: number
      record: { attributes: { type: string; url: string }; Id: string }
    }[]
  }[]
}

const wileTwin = { FirstName: 'Wile E.', LastName: 'Coyote', Email: 'WILE@acme.example.com' }

describe('the default seed: an "allow" rule on Contact Email', () => {
  let s: SeededOrg
  before(async () => {
    s = await startSeededOrg()
  })
  after(() => s.close())

  it('a Contact with an existing email is 400 DUPLICATES_DETECTED with the duplicate result under duplicateResut', async () => {
    const r = await s.call(s.tokens.integration, 'POST', '/sobjects/Contact', {
      body: JSON.stringify(wileTwin),
    })
    assert.equal(r.status, 400)
    const [err] = r.json as Rec[]
    assert.equal(err?.errorCode, 'DUPLICATES_DETECTED')
    assert.equal(typeof err?.message, 'string')
    assert.equal('duplicateResult' in (err ?? {}), false)
    const result = err?.duplicateResut as DuplicateResult
    assert.equal(result.allowSave, true)
    assert.equal(result.duplicateRule, 'Standard_Contact_Duplicate_Rule')
    assert.equal(result.duplicateRuleEntityType, 'Contact')
    assert.equal(result.errorMessage, err?.message)
    const [match] = result.matchResults
    assert.equal(match?.rule, 'Standard_Contact_Match_Rule_v1_1')
    assert.equal(match?.size, 1)
    assert.equal(match?.success, true)
    assert.deepEqual(match?.matchRecords[0]?.record, {
      attributes: { type: 'Contact', url: `/services/data/v66.0/sobjects/Contact/${WILE}` },
      Id: WILE,
    })
    assert.equal(match?.matchRecords[0]?.matchConfidence, 100)
  })

  it('jsforce reports it by its code', async () => {
    await assert.rejects(s.integration.sobject('Contact').create(wileTwin), {
      errorCode: 'DUPLICATES_DETECTED',
    })
  })

  it('Sforce-Duplicate-Rule-Header: allowSave=true saves it anyway', async () => {
    const r = await s.call(s.tokens.integration, 'POST', '/sobjects/Contact', {
      body: JSON.stringify({ ...wileTwin, Email: 'wile.twin@acme.example.com' }),
    })
    assert.equal(r.status, 201)
    const forced = await s.call(s.tokens.integration, 'PATCH', '/sobjects/Contact/Customer_Id__c/CUST-7777', {
      body: JSON.stringify({ LastName: 'Lumbergh', Email: 'Bill@Initech.example.com' }),
      headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true; includeRecordDetails=true' },
    })
    assert.equal(forced.status, 201)
  })

  it('updating a Contact into a duplicate is refused too; re-saving a Contact never matches itself', async () => {
    const again = await s.call(s.tokens.integration, 'PATCH', '/sobjects/Contact/Customer_Id__c/CUST-0001', {
      body: JSON.stringify({ LastName: 'Coyote', Email: 'wile@acme.example.com' }),
    })
    assert.equal(again.status, 200)
    const clash = await s.call(s.tokens.integration, 'PATCH', '/sobjects/Contact/Customer_Id__c/CUST-0002', {
      body: JSON.stringify({ Email: 'wile@acme.example.com' }),
    })
    assert.equal(clash.status, 400)
    assert.equal((clash.json as Rec[])[0]?.errorCode, 'DUPLICATES_DETECTED')
  })

  it('a collection upsert answers per record: the duplicate fails alone, the rest are saved in order', async () => {
    const records = [
      {
        attributes: { type: 'Contact' },
        Customer_Id__c: 'BATCH-1',
        LastName: 'One',
        Email: 'one@batch.example.com',
      },
      {
        attributes: { type: 'Contact' },
        Customer_Id__c: 'BATCH-2',
        LastName: 'Two',
        Email: 'hank@globex.example.com',
      },
      { attributes: { type: 'Contact' }, Customer_Id__c: 'CUST-0001', LastName: 'Coyote', Title: 'Genius' },
    ]
    const r = await s.call(s.tokens.integration, 'PATCH', '/composite/sobjects/Contact/Customer_Id__c', {
      body: JSON.stringify({ allOrNone: false, records }),
    })
    assert.equal(r.status, 200)
    const results = r.json as Rec[]
    assert.equal(results.length, 3)
    assert.deepEqual([results[0]?.success, results[0]?.created], [true, true])
    assert.equal(results[1]?.success, false)
    const [err] = (results[1]?.errors ?? []) as Rec[]
    assert.equal(err?.statusCode, 'DUPLICATES_DETECTED')
    assert.equal(
      (err?.duplicateResut as DuplicateResult | undefined)?.duplicateRule,
      'Standard_Contact_Duplicate_Rule',
    )
    assert.deepEqual([results[2]?.id, results[2]?.success, results[2]?.created], [WILE, true, false])
  })

  it('allOrNone: one duplicate rolls the whole collection back', async () => {
    const records = [
      {
        attributes: { type: 'Contact' },
        Customer_Id__c: 'ALL-1',
        LastName: 'All',
        Email: 'all1@batch.example.com',
      },
      {
        attributes: { type: 'Contact' },
        Customer_Id__c: 'ALL-2',
        LastName: 'Dup',
        Email: 'wile@acme.example.com',
      },
    ]
    const r = await s.call(s.tokens.integration, 'PATCH', '/composite/sobjects/Contact/Customer_Id__c', {
      body: JSON.stringify({ allOrNone: true, records }),
    })
    const results = r.json as { success: boolean; errors: { statusCode: string }[] }[]
    assert.deepEqual(
      results.map((x) => [x.success, x.errors[0]?.statusCode]),
      [
        [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
        [false, 'DUPLICATES_DETECTED'],
      ],
    )
    assert.equal(
      (await s.integration.query("SELECT Id FROM Contact WHERE Customer_Id__c = 'ALL-1'")).totalSize,
      0,
    )
  })

  it('jsforce upserts 450 Contacts as collections of 200, each record with its own result', async () => {
    const records = Array.from({ length: 450 }, (_, i) => ({
      Customer_Id__c: `BULK-${i}`,
      LastName: `Customer ${i}`,
      Email: i === 300 ? 'wile@acme.example.com' : `bulk${i}@example.com`,
    }))
    const results = (await s.integration
      .sobject('Contact')
      .upsert(records, 'Customer_Id__c', { allowRecursive: true } as never)) as unknown as {
      success: boolean
      created?: boolean
      errors: { errorCode?: string; statusCode?: string }[]
    }[]
    assert.equal(results.length, 450)
    assert.equal(results.filter((r) => r.success && r.created).length, 449)
    assert.equal(results[300]?.success, false)
    const saved = await s.integration.query("SELECT COUNT() FROM Contact WHERE Customer_Id__c LIKE 'BULK-%'")
    assert.equal(saved.totalSize, 449)
  })
})

describe('a seeded "block" rule answering under duplicateResult', () => {
  let conn: jsforce.Connection
  let s: SeededOrg
  before(async () => {
    const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8')) as DevOrgSeed
    seed.duplicateRules = [
      {
        name: 'Block_Same_Name',
        object: 'contact',
        fields: ['firstname', 'LastName'],
        action: 'block',
        message: 'A Contact with this name exists.',
        resultKey: 'duplicateResult',
      },
    ]
    s = await startSeededOrg({ seed })
    conn = s.integration
  })
  after(() => s.close())

  it('blocks even with allowSave=true, says so with allowSave false, and the email rule is gone', async () => {
    const r = await s.call(s.tokens.integration, 'POST', '/sobjects/Contact', {
      body: JSON.stringify({ FirstName: 'WILE', LastName: 'coyote', Email: 'other@acme.example.com' }),
      headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    })
    assert.equal(r.status, 400)
    const [err] = r.json as Rec[]
    assert.equal(err?.message, 'A Contact with this name exists.')
    assert.equal('duplicateResut' in (err ?? {}), false)
    const result = err?.duplicateResult as DuplicateResult
    assert.equal(result.allowSave, false)
    assert.equal(result.matchResults[0]?.rule, 'Block_Same_Name_Match')
    const sameEmail = await conn
      .sobject('Contact')
      .create({ LastName: 'Other', Email: 'wile@acme.example.com' })
    assert.equal(sameEmail.success, true)
  })
})
