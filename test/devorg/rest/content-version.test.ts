import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, test } from 'node:test'
import { SEED_ACCOUNT, startTestServer, type TestServer, USER_ID, v } from './rest-test-server.ts'

let srv: TestServer
let oppId = ''
before(async () => {
  srv = await startTestServer()
  const opp = await srv.call('POST', v('/sobjects/Opportunity'), {
    body: { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-12-01', AccountId: SEED_ACCOUNT },
  })
  oppId = (opp.json as { id: string }).id
})
after(() => srv.close())

type Rec = Record<string, unknown>
const query = async (soql: string) =>
  ((await srv.call('GET', v(`/query?q=${encodeURIComponent(soql)}`))).json as { records: Rec[] }).records

test('JSON upload with base64 VersionData creates the version, its document and links', async () => {
  const bytes = Buffer.from('%PDF-1.4 contract body')
  const r = await srv.call('POST', v('/sobjects/ContentVersion'), {
    body: {
      Title: 'Contract',
      PathOnClient: 'contract.pdf',
      VersionData: bytes.toString('base64'),
      FirstPublishLocationId: oppId,
    },
  })
  assert.equal(r.status, 201)
  const { id, success, errors } = r.json as { id: string; success: boolean; errors: unknown[] }
  assert.match(id, /^068[0-9A-Za-z]{15}$/)
  assert.equal(success, true)
  assert.deepEqual(errors, [])

  const version = (await srv.call('GET', v(`/sobjects/ContentVersion/${id}`))).json as Rec
  assert.match(String(version.ContentDocumentId), /^069/)
  assert.equal(version.VersionData, `/services/data/v66.0/sobjects/ContentVersion/${id}/VersionData`)
  assert.equal(version.ContentSize, bytes.length)
  assert.equal(version.FileType, 'PDF')
  assert.equal(version.FileExtension, 'pdf')
  assert.equal(version.Checksum, createHash('md5').update(bytes).digest('hex'))
  assert.equal(version.IsLatest, true)

  const data = await srv.call('GET', v(`/sobjects/ContentVersion/${id}/VersionData`))
  assert.equal(data.status, 200)
  assert.equal(data.headers.get('content-type'), 'application/pdf')
  assert.deepEqual(data.bytes, bytes)

  const [byId] = await query(`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${id}'`)
  assert.equal(byId?.ContentDocumentId, version.ContentDocumentId)
  const links = await query(
    `SELECT ContentDocumentId, ContentDocument.Title, ShareType FROM ContentDocumentLink WHERE LinkedEntityId = '${oppId}'`,
  )
  assert.equal(links.length, 1)
  assert.equal(links[0]?.ContentDocumentId, version.ContentDocumentId)
  assert.equal((links[0]?.ContentDocument as Rec | undefined)?.Title, 'Contract')
  const ownerLinks = await query(
    `SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${version.ContentDocumentId}' AND LinkedEntityId = '${USER_ID}'`,
  )
  assert.equal(ownerLinks.length, 1)
})

test('multipart upload: entity_content JSON part plus binary VersionData part', async () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 13, 10, 45, 45])
  const boundary = 'boundary_string'
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n` +
        JSON.stringify({ PathOnClient: 'scan.png' }) +
        `\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
        'Content-Disposition: form-data; name="VersionData"; filename="scan.png"\r\n\r\n',
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  const r = await srv.call('POST', v('/sobjects/ContentVersion'), {
    raw: body,
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  })
  assert.equal(r.status, 201, r.text)
  const id = (r.json as { id: string }).id
  const version = (await srv.call('GET', v(`/sobjects/ContentVersion/${id}`))).json as Rec
  assert.equal(version.Title, 'scan')
  assert.equal(version.FileType, 'PNG')
  const data = await srv.call('GET', v(`/sobjects/ContentVersion/${id}/VersionData`))
  assert.equal(data.headers.get('content-type'), 'image/png')
  assert.deepEqual(data.bytes, bytes)
})

test('multipart upload built by FormData works too', async () => {
  const form = new FormData()
  form.append(
    'entity_content',
    new Blob([JSON.stringify({ PathOnClient: 'notes.txt', Title: 'Notes' })], { type: 'application/json' }),
  )
  form.append('VersionData', new Blob(['hello notes']), 'notes.txt')
  const r = await srv.call('POST', v('/sobjects/ContentVersion'), { raw: form })
  assert.equal(r.status, 201, r.text)
  const data = await srv.call(
    'GET',
    v(`/sobjects/ContentVersion/${(r.json as { id: string }).id}/VersionData`),
  )
  assert.equal(data.text, 'hello notes')
})

test('a version with ContentDocumentId adds version 2 to the same document', async () => {
  const first = await srv.call('POST', v('/sobjects/ContentVersion'), {
    body: { PathOnClient: 'quote.txt', VersionData: Buffer.from('v1').toString('base64') },
  })
  const v1 = (first.json as { id: string }).id
  const docId = ((await srv.call('GET', v(`/sobjects/ContentVersion/${v1}`))).json as Rec).ContentDocumentId
  const second = await srv.call('POST', v('/sobjects/ContentVersion'), {
    body: {
      PathOnClient: 'quote.txt',
      ContentDocumentId: docId,
      VersionData: Buffer.from('v2!').toString('base64'),
    },
  })
  const v2 = (second.json as { id: string }).id
  const versions = await query(
    `SELECT Id, VersionNumber, IsLatest FROM ContentVersion WHERE ContentDocumentId = '${docId}' ORDER BY VersionNumber`,
  )
  assert.deepEqual(
    versions.map((x) => [x.Id, x.VersionNumber, x.IsLatest]),
    [
      [v1, '1', false],
      [v2, '2', true],
    ],
  )
  const doc = (await srv.call('GET', v(`/sobjects/ContentDocument/${docId}`))).json as Rec
  assert.equal(doc.LatestPublishedVersionId, v2)
  assert.equal(doc.ContentSize, 3)
})

test('file errors: missing PathOnClient or bytes, duplicate links, direct document insert', async () => {
  const noPath = await srv.call('POST', v('/sobjects/ContentVersion'), { body: { VersionData: 'aGk=' } })
  assert.deepEqual(noPath.json, [
    {
      message: 'Required fields are missing: [PathOnClient]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['PathOnClient'],
    },
  ])
  const noBytes = await srv.call('POST', v('/sobjects/ContentVersion'), { body: { PathOnClient: 'a.txt' } })
  assert.equal((noBytes.json as { fields: string[] }[])[0]?.fields[0], 'VersionData')
  const badBase64 = await srv.call('POST', v('/sobjects/ContentVersion'), {
    body: { PathOnClient: 'a.txt', VersionData: '!!' },
  })
  assert.equal((badBase64.json as { errorCode: string }[])[0]?.errorCode, 'JSON_PARSER_ERROR')

  const up = await srv.call('POST', v('/sobjects/ContentVersion'), {
    body: { PathOnClient: 'a.txt', VersionData: 'aGk=' },
  })
  const docId = (
    (await srv.call('GET', v(`/sobjects/ContentVersion/${(up.json as { id: string }).id}`))).json as Rec
  ).ContentDocumentId
  const link = { ContentDocumentId: docId, LinkedEntityId: SEED_ACCOUNT, ShareType: 'V' }
  const linked = await srv.call('POST', v('/sobjects/ContentDocumentLink'), { body: link })
  assert.equal(linked.status, 201)
  assert.match((linked.json as { id: string }).id, /^06A/)
  const dup = await srv.call('POST', v('/sobjects/ContentDocumentLink'), { body: link })
  assert.equal((dup.json as { errorCode: string }[])[0]?.errorCode, 'DUPLICATE_VALUE')
  const rewrite = await srv.call('PATCH', v(`/sobjects/ContentVersion/${(up.json as { id: string }).id}`), {
    body: { VersionData: 'aGk=' },
  })
  assert.equal((rewrite.json as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE')
  const direct = await srv.call('POST', v('/sobjects/ContentDocument'), { body: { Title: 'x' } })
  assert.equal(direct.status, 400)

  assert.equal((await srv.call('DELETE', v(`/sobjects/ContentDocument/${docId}`))).status, 204)
  const gone = await query(`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${docId}'`)
  assert.deepEqual(gone, [])
})
