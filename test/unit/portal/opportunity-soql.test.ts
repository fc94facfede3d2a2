import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  contractLinksQuery,
  contractRow,
  LIST_LIMIT,
  opportunityListQuery,
  opportunityQuery,
  opportunityRow,
  recordsOf,
  type SalesforceId,
  salesforceId,
  sameId,
} from '../../../src/portal/opportunity-soql.ts'

describe('Opportunity SOQL', () => {
  it('accepts only the shape of a Salesforce id: 15 or 18 letters and digits', () => {
    assert.equal(salesforceId('0065g00000Acme1'), '0065g00000Acme1')
    assert.equal(salesforceId('0065g00000Acme1AAA'), '0065g00000Acme1AAA')
    for (const bad of [
      undefined,
      '',
      '0065g00000Acme',
      '0065g00000Acme1AA',
      '0065g00000Acme1AAAA',
      "0065g00000Acm'",
      "0065g00000Acme1' OR Name != '",
      '0065g00000Acme1\n',
      '0065g00000Acme1 ',
      '0065g00000Acm%27',
      '0065g00000Acmé1',
    ])
      assert.equal(salesforceId(bad), undefined, JSON.stringify(bad))
  })

  it('builds the deal and link queries around a validated id only', () => {
    const id = salesforceId('0065g00000Acme1')!
    assert.equal(
      opportunityQuery(id),
      "SELECT Id, Name, StageName, CloseDate, Amount, OwnerId, Account.Name FROM Opportunity WHERE Id = '0065g00000Acme1'",
    )
    assert.equal(
      contractLinksQuery(id),
      'SELECT ContentDocumentId, ContentDocument.Title, ContentDocument.FileExtension, ContentDocument.ContentSize, ' +
        "ContentDocument.LatestPublishedVersionId, ContentDocument.CreatedDate FROM ContentDocumentLink WHERE LinkedEntityId = '0065g00000Acme1'",
    )
    // @ts-expect-error: a plain string is not a validated id
    const unchecked: SalesforceId = "x' OR Id != '"
    assert.ok(unchecked)
  })

  it('lists without an owner filter (the org decides) and asks one more than it shows', () => {
    const q = opportunityListQuery()
    assert.doesNotMatch(q, /WHERE/)
    assert.match(q, new RegExp(`LIMIT ${LIST_LIMIT + 1}$`))
  })

  it('reads query answers defensively', () => {
    assert.deepEqual(recordsOf(undefined), [])
    assert.deepEqual(recordsOf({ records: 'x' }), [])
    const [row] = recordsOf({ records: [{ Id: '006A', Name: 'N', Account: null, Amount: '12' }, 3] })
    assert.deepEqual(opportunityRow(row!), {
      id: '006A',
      name: 'N',
      stage: '',
      closeDate: '',
      amount: undefined,
      account: undefined,
      ownerId: '',
    })
    assert.deepEqual(
      contractRow({ ContentDocumentId: '069A', ContentDocument: { Title: 'T', ContentSize: 5 } }),
      {
        documentId: '069A',
        title: 'T',
        extension: undefined,
        size: 5,
        versionId: undefined,
        createdDate: undefined,
      },
    )
  })

  it('matches 15- and 18-character ids of the same record', () => {
    assert.equal(sameId('0055g00000Partn', '0055g00000PartnAAA'), true)
    assert.equal(sameId('0055g00000partn', '0055g00000PartnAAA'), false)
    assert.equal(sameId('', ''), false)
  })
})
