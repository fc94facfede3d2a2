import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SEED_ACCOUNT, SEED_CONTACT, startTestServer, type TestServer, v } from './rest-test-server.ts'

let srv: TestServer
before(async () => {
  srv = await startTestServer()
})
after(() => srv.close())

type Rec = Record<string, unknown>
type Nested = { totalSize: number; done: boolean; records: Rec[] }

const create = async (sobject: string, body: Rec) => {
  const r = await srv.call('POST', v(`/sobjects/${sobject}`), { body })
  assert.equal(r.status, 201, r.text)
  return (r.json as { id: string }).id
}
const query = async (soql: string) => {
  const r = await srv.call('GET', v(`/query?q=${encodeURIComponent(soql)}`))
  assert.equal(r.status, 200, r.text)
  return (r.json as { records: Rec[] }).records
}

test('one query reads a whole deal: line items with products, contact roles and files', async () => {
  const [book] = await query('SELECT Id FROM Pricebook2 WHERE IsStandard = true')
  const product = await create('Product2', { Name: 'Widget', ProductCode: 'W-1', IsActive: true })
  const entry = await create('PricebookEntry', { Pricebook2Id: book?.Id, Product2Id: product, UnitPrice: 40 })
  const opp = await create('Opportunity', {
    Name: 'Big Deal',
    StageName: 'Negotiation/Review',
    CloseDate: '2026-12-31',
    AccountId: SEED_ACCOUNT,
  })
  await create('OpportunityLineItem', { OpportunityId: opp, PricebookEntryId: entry, Quantity: 3 })
  await create('OpportunityContactRole', {
    OpportunityId: opp,
    ContactId: SEED_CONTACT,
    Role: 'Economic Buyer',
    IsPrimary: true,
  })
  await create('ContentVersion', {
    Title: 'Contract',
    PathOnClient: 'contract.pdf',
    VersionData: Buffer.from('%PDF').toString('base64'),
    FirstPublishLocationId: opp,
  })

  const [deal] = await query(
    'SELECT Id, Name, Amount, Pricebook2Id, Account.Name, ' +
      '(SELECT Name, Quantity, UnitPrice, ListPrice, TotalPrice, PricebookEntry.Product2.Name FROM OpportunityLineItems), ' +
      '(SELECT ContactId, Role, IsPrimary FROM OpportunityContactRoles), ' +
      '(SELECT ContentDocumentId, ContentDocument.Title, ContentDocument.FileType FROM ContentDocumentLinks) ' +
      `FROM Opportunity WHERE Id = '${opp}'`,
  )
  assert.ok(deal)
  assert.equal(deal.Amount, 120)
  assert.equal(deal.Pricebook2Id, book?.Id)
  assert.equal((deal.Account as Rec).Name, 'Seed Account')
  const items = deal.OpportunityLineItems as Nested
  assert.equal(items.totalSize, 1)
  assert.equal(items.done, true)
  const item = items.records[0] as Rec
  assert.equal(item.Name, 'Big Deal Widget')
  assert.equal(item.UnitPrice, 40)
  assert.equal(item.ListPrice, 40)
  assert.equal(item.TotalPrice, 120)
  const entryRel = item.PricebookEntry as Rec
  assert.equal((entryRel.attributes as Rec).type, 'PricebookEntry')
  assert.equal((entryRel.Product2 as Rec).Name, 'Widget')
  const roles = (deal.OpportunityContactRoles as Nested).records
  assert.deepEqual(
    roles.map((r) => [r.ContactId, r.Role, r.IsPrimary]),
    [[SEED_CONTACT, 'Economic Buyer', true]],
  )
  const files = (deal.ContentDocumentLinks as Nested).records
  assert.equal(files.length, 1)
  const doc = (files[0] as Rec).ContentDocument as Rec
  assert.deepEqual([doc.Title, doc.FileType], ['Contract', 'PDF'])

  const bare = await create('Opportunity', {
    Name: 'Bare',
    StageName: 'Prospecting',
    CloseDate: '2026-12-31',
  })
  const [noItems] = await query(
    `SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${bare}'`,
  )
  assert.equal(noItems?.OpportunityLineItems, null)
})

test('a line item from another price book is refused once the opportunity has one', async () => {
  const [book] = await query('SELECT Id FROM Pricebook2 WHERE IsStandard = true')
  const product = await create('Product2', { Name: 'Gadget' })
  const standardEntry = await create('PricebookEntry', {
    Pricebook2Id: book?.Id,
    Product2Id: product,
    UnitPrice: 5,
  })
  const other = await create('Pricebook2', { Name: 'Partners', IsActive: true })
  const otherEntry = await create('PricebookEntry', {
    Pricebook2Id: other,
    Product2Id: product,
    UnitPrice: 4,
  })
  const opp = await create('Opportunity', {
    Name: 'Mixed',
    StageName: 'Prospecting',
    CloseDate: '2026-12-31',
  })
  await create('OpportunityLineItem', { OpportunityId: opp, PricebookEntryId: standardEntry, Quantity: 1 })
  const r = await srv.call('POST', v('/sobjects/OpportunityLineItem'), {
    body: { OpportunityId: opp, PricebookEntryId: otherEntry, Quantity: 1 },
  })
  assert.equal(r.status, 400)
  assert.equal((r.json as { errorCode: string }[])[0]?.errorCode, 'FIELD_INTEGRITY_EXCEPTION')
})
