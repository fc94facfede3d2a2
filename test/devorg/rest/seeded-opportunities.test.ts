// The default seed's deals, as the integration user reads them for an archive: each
// Opportunity with its line items, contact roles and linked files, and each file's bytes from
// VersionData matching the Checksum and ContentSize the org reports.

import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ACME_DEAL, contentVersionUpload, type SeededOrg, startSeededOrg } from './seeded-org.ts'

type Rec = Record<string, unknown>
type Nested = { totalSize: number; records: Rec[] } | null

let s: SeededOrg
before(async () => {
  s = await startSeededOrg()
})
after(() => s.close())

describe('seeded Opportunities', () => {
  it('four deals owned by two users, with line items, contact roles and files', async () => {
    const { records } = await s.integration.query<Rec>(
      'SELECT Id, Name, OwnerId, StageName, Amount, IsWon, Account.Name, ' +
        '(SELECT Quantity, TotalPrice, PricebookEntry.Product2.Name FROM OpportunityLineItems), ' +
        '(SELECT Role, IsPrimary, Contact.Name FROM OpportunityContactRoles), ' +
        '(SELECT ContentDocumentId FROM ContentDocumentLinks) ' +
        'FROM Opportunity ORDER BY Name',
    )
    const count = (n: unknown) => (n as Nested)?.totalSize ?? 0
    assert.deepEqual(
      records.map((r) => [
        r.Name,
        (r.Account as Rec).Name,
        r.Amount,
        count(r.OpportunityLineItems),
        count(r.OpportunityContactRoles),
        count(r.ContentDocumentLinks),
      ]),
      [
        ['Acme Factory Automation', 'Acme Corporation', 32000, 2, 1, 1],
        ['Acme Spare Parts', 'Acme Corporation', 4000, 0, 0, 0],
        ['Globex Data Platform', 'Globex Inc', 48000, 1, 1, 2],
        ['Initech Renewal', 'Initech', 48000, 1, 1, 1],
      ],
    )
    assert.equal(new Set(records.map((r) => r.OwnerId)).size, 2)
    assert.equal(records.find((r) => r.Name === 'Globex Data Platform')?.IsWon, true)
    const shares = await s.integration.query<Rec>(
      'SELECT OpportunityId, OpportunityAccessLevel FROM OpportunityShare',
    )
    assert.equal(shares.totalSize, 2)
  })

  it('every linked file downloads from VersionData with the MD5 Checksum and ContentSize the org reports', async () => {
    const { records: links } = await s.integration.query<Rec>(
      'SELECT ContentDocument.LatestPublishedVersionId FROM ContentDocumentLink ' +
        "WHERE LinkedEntityId IN ('0065g00000Acme1', '0065g00000Glbx1', '0065g00000Init1')",
    )
    assert.equal(links.length, 4)
    for (const link of links) {
      const versionId = (link.ContentDocument as Rec).LatestPublishedVersionId as string
      const version = await s.integration.sobject('ContentVersion').retrieve(versionId)
      const r = await s.call(s.tokens.integration, 'GET', `/sobjects/ContentVersion/${versionId}/VersionData`)
      assert.equal(r.status, 200)
      assert.equal(Number(r.headers.get('content-length')), version.ContentSize)
      assert.equal(createHash('md5').update(r.bytes).digest('hex'), version.Checksum)
    }
  })

  it('a file over 10 MB comes back byte for byte, streamed with its length and content type', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 12344)
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i)
    const upload = contentVersionUpload(
      { Title: 'Big contract', PathOnClient: 'big-contract.pdf', FirstPublishLocationId: ACME_DEAL },
      big,
      'big-contract.pdf',
    )
    const created = await s.call(s.tokens.pat, 'POST', '/sobjects/ContentVersion', upload)
    assert.equal(created.status, 201)
    const id = (created.json as { id: string }).id
    const res = await fetch(`${s.org.url}/services/data/v66.0/sobjects/ContentVersion/${id}/VersionData`, {
      headers: { Authorization: `Bearer ${s.tokens.pat}` },
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/pdf')
    assert.equal(Number(res.headers.get('content-length')), big.length)
    let chunks = 0
    const hash = createHash('sha256')
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks++
      hash.update(chunk)
    }
    assert.ok(chunks > 1)
    assert.equal(hash.digest('hex'), createHash('sha256').update(big).digest('hex'))
    const version = await s.pat.sobject('ContentVersion').retrieve(id)
    assert.equal(version.Checksum, createHash('md5').update(big).digest('hex'))
  })
})
