// The private sharing model over real HTTP with real tokens: each user sees and attaches only
// to the deals they own or that are shared with them, and gets Salesforce's answers otherwise.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ACME_DEAL,
  ACME_SPARES,
  contentVersionUpload,
  GLOBEX_DEAL,
  INITECH_DEAL,
  type SeededOrg,
  startSeededOrg,
} from './seeded-org.ts'

type Rec = Record<string, unknown>
type ErrorItem = { errorCode: string; message: string }

let s: SeededOrg
before(async () => {
  s = await startSeededOrg()
})
after(() => s.close())

const names = async (conn: SeededOrg['pat'], soql: string) =>
  (await conn.query<{ Name: string }>(soql)).records.map((r) => r.Name).sort()

describe('who sees which Opportunity', () => {
  it('a query as a user returns the deals they own or that are shared with them; Modify All Data sees all', async () => {
    const soql = 'SELECT Name FROM Opportunity'
    assert.deepEqual(await names(s.pat, soql), [
      'Acme Factory Automation',
      'Acme Spare Parts',
      'Globex Data Platform',
    ])
    assert.deepEqual(await names(s.sam, soql), [
      'Acme Spare Parts',
      'Globex Data Platform',
      'Initech Renewal',
    ])
    assert.equal((await s.integration.query('SELECT Id FROM Opportunity')).totalSize, 4)
    assert.equal(
      (await s.pat.query("SELECT COUNT() FROM Opportunity WHERE Name LIKE 'Initech%'")).totalSize,
      0,
    )
  })

  it('children follow their deal: line items, contact roles and files of a hidden deal are not there', async () => {
    const items = await s.pat.query(
      `SELECT Id FROM OpportunityLineItem WHERE OpportunityId = '${INITECH_DEAL}'`,
    )
    assert.equal(items.totalSize, 0)
    const links = await s.pat.query(
      `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${INITECH_DEAL}'`,
    )
    assert.equal(links.totalSize, 0)
    const shared = await s.pat.query<Rec>(
      `SELECT Name, (SELECT Quantity FROM OpportunityLineItems), (SELECT ContentDocument.Title FROM ContentDocumentLinks) FROM Opportunity WHERE Id = '${GLOBEX_DEAL}'`,
    )
    const deal = shared.records[0] as Rec
    assert.equal((deal.OpportunityLineItems as { totalSize: number }).totalSize, 1)
    assert.equal((deal.ContentDocumentLinks as { totalSize: number }).totalSize, 2)
  })

  it('reading a hidden deal, or its file, is 404 NOT_FOUND, as if it did not exist', async () => {
    await assert.rejects(s.pat.sobject('Opportunity').retrieve(INITECH_DEAL), { errorCode: 'NOT_FOUND' })
    const [link] = (
      await s.integration.query<{ ContentDocument: { LatestPublishedVersionId: string } }>(
        `SELECT ContentDocument.LatestPublishedVersionId FROM ContentDocumentLink WHERE LinkedEntityId = '${INITECH_DEAL}'`,
      )
    ).records
    const versionId = link?.ContentDocument.LatestPublishedVersionId
    assert.ok(versionId)
    const hidden = await s.call(s.tokens.pat, 'GET', `/sobjects/ContentVersion/${versionId}/VersionData`)
    assert.equal(hidden.status, 404)
    assert.equal((hidden.json as ErrorItem[])[0]?.errorCode, 'NOT_FOUND')
    const owner = await s.call(s.tokens.sam, 'GET', `/sobjects/ContentVersion/${versionId}/VersionData`)
    assert.equal(owner.status, 200)
    assert.ok(owner.bytes.toString('latin1').startsWith('%PDF'))
  })
})

describe('who may change an Opportunity', () => {
  it('a read-only share or no share at all: updates answer 400 INSUFFICIENT_ACCESS_OR_READONLY', async () => {
    for (const id of [GLOBEX_DEAL, INITECH_DEAL]) {
      const r = await s.call(s.tokens.pat, 'PATCH', `/sobjects/Opportunity/${id}`, {
        body: JSON.stringify({ NextStep: 'Call back' }),
      })
      assert.equal(r.status, 400, id)
      assert.deepEqual(r.json, [
        {
          message: 'insufficient access rights on object id',
          errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
          fields: [],
        },
      ])
    }
    await assert.rejects(s.pat.sobject('Opportunity').update({ Id: GLOBEX_DEAL, NextStep: 'x' }), {
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
    })
  })

  it('an edit share may update but not delete; the owner may delete', async () => {
    const updated = await s.sam.sobject('Opportunity').update({ Id: ACME_SPARES, NextStep: 'Send quote' })
    assert.equal(updated.success, true)
    await assert.rejects(s.sam.sobject('Opportunity').destroy(ACME_SPARES), {
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
    })
    const own = await s.sam.sobject('Opportunity').create({
      Name: 'Sam scratch deal',
      StageName: 'Prospecting',
      CloseDate: '2026-12-01',
    })
    assert.equal((await s.sam.sobject('Opportunity').destroy(own.id as string)).success, true)
  })

  it('a contact role on a deal the user may only read is refused on the cross reference', async () => {
    const r = await s.call(s.tokens.pat, 'POST', '/sobjects/OpportunityContactRole', {
      body: JSON.stringify({ OpportunityId: GLOBEX_DEAL, ContactId: '0035g00000Wile1', Role: 'Influencer' }),
    })
    assert.equal(r.status, 400)
    const [err] = r.json as ErrorItem[]
    assert.equal(err?.errorCode, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY')
    assert.equal(err?.message, `insufficient access rights on cross-reference id: ${GLOBEX_DEAL}`)
  })

  it('a share is created only by the deal owner', async () => {
    const share = {
      OpportunityId: ACME_DEAL,
      UserOrGroupId: '005000000000000AAA',
      OpportunityAccessLevel: 'Read',
    }
    const bySam = await s.call(s.tokens.sam, 'POST', '/sobjects/OpportunityShare', {
      body: JSON.stringify(share),
    })
    assert.equal(bySam.status, 400)
    assert.equal((bySam.json as ErrorItem[])[0]?.errorCode, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY')
    const byPat = await s.call(s.tokens.pat, 'POST', '/sobjects/OpportunityShare', {
      body: JSON.stringify(share),
    })
    assert.equal(byPat.status, 201)
  })
})

describe('who may attach a file to an Opportunity', () => {
  const contract = Buffer.from('%PDF-1.7\nsigned contract\n%%EOF\n')

  it('a user attaches to a deal shared with them: the file is linked and readable by the owner too', async () => {
    const upload = contentVersionUpload(
      { Title: 'Signed by Pat', PathOnClient: 'signed.pdf', FirstPublishLocationId: GLOBEX_DEAL },
      contract,
      'signed.pdf',
    )
    const r = await s.call(s.tokens.pat, 'POST', '/sobjects/ContentVersion', upload)
    assert.equal(r.status, 201)
    const versionId = (r.json as { id: string }).id
    const bySam = await s.call(s.tokens.sam, 'GET', `/sobjects/ContentVersion/${versionId}/VersionData`)
    assert.equal(bySam.status, 200)
    assert.deepEqual(bySam.bytes, contract)
  })

  it('a user cannot attach to a deal hidden from them: INSUFFICIENT_ACCESS_OR_READONLY, and nothing is stored', async () => {
    const before = (await s.integration.query('SELECT Id FROM ContentDocument')).totalSize
    const upload = contentVersionUpload(
      { Title: 'Sneaky', PathOnClient: 'sneaky.pdf', FirstPublishLocationId: INITECH_DEAL },
      contract,
      'sneaky.pdf',
    )
    const r = await s.call(s.tokens.pat, 'POST', '/sobjects/ContentVersion', upload)
    assert.equal(r.status, 400)
    assert.equal((r.json as ErrorItem[])[0]?.errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY')
    assert.equal((await s.integration.query('SELECT Id FROM ContentDocument')).totalSize, before)
    const link = await s.call(s.tokens.pat, 'POST', '/sobjects/ContentDocumentLink', {
      body: JSON.stringify({ ContentDocumentId: '0695g00000Nope1', LinkedEntityId: INITECH_DEAL }),
    })
    assert.equal(link.status, 400)
  })
})

describe('ContentDocumentLink query restriction', () => {
  it('a query not filtered on ContentDocumentId or LinkedEntityId (with = or IN) is MALFORMED_QUERY', async () => {
    for (const soql of [
      'SELECT Id FROM ContentDocumentLink',
      "SELECT Id FROM ContentDocumentLink WHERE ShareType = 'I'",
      `SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId NOT IN ('${ACME_DEAL}')`,
    ]) {
      const r = await s.call(s.tokens.integration, 'GET', `/query?q=${encodeURIComponent(soql)}`)
      assert.equal(r.status, 400, soql)
      const [err] = r.json as ErrorItem[]
      assert.equal(err?.errorCode, 'MALFORMED_QUERY')
      assert.match(err?.message ?? '', /^Implementation restriction: ContentDocumentLink/)
    }
    const ok = await s.integration.query(
      `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId IN ('${ACME_DEAL}', '${GLOBEX_DEAL}')`,
    )
    assert.ok(ok.totalSize >= 3)
  })
})
