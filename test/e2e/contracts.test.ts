import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import type { ServingCli } from '../helpers/cli-process.ts'
import { serveExample, soql, userToken } from '../integration/salesforce-target-support.ts'

const GLOBEX = '0065g00000Glbx1' // Sam's own deal
const ACME = '0065g00000Acme1' // Pat's, not shared with Sam

function multipart(file: Buffer, filename: string, type: string): { body: Buffer; contentType: string } {
  const boundary = `----test${randomBytes(8).toString('hex')}`
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nsigned copy\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex')

describe('contracts on Opportunities through the gateway (real processes)', () => {
  let org: DevOrg
  let gateway: ServingCli
  let dir: string
  let sam: string
  before(async () => {
    org = await startDevOrg({ port: 0 })
    ;({ gateway, dir } = await serveExample(org))
    sam = await userToken(org, 'sales@forcegate.example.com', 'Sales-Rep-1')
  })
  after(async () => {
    await gateway?.stop()
    await org?.close()
    await rm(dir, { recursive: true, force: true })
  })

  const upload = (
    opportunity: string,
    body: Buffer,
    contentType: string,
    extra: Record<string, string> = {},
  ) =>
    fetch(`${gateway.url}/opportunities/${opportunity}/contracts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sam}`, 'content-type': contentType, ...extra },
      body,
    })

  test('a file over 10 MB, as a user who may see the Opportunity, is attached byte for byte', async () => {
    const file = randomBytes(11 * 1024 * 1024 + 123)
    const { body, contentType } = multipart(file, 'globex-msa.pdf', 'application/pdf')
    const res = await upload(GLOBEX, body, contentType)
    assert.equal(res.status, 201, await res.clone().text())
    const answer = (await res.json()) as {
      contentVersionId: string
      linkedTo: string
      bytes: number
      title: string
    }
    assert.equal(answer.linkedTo, GLOBEX)
    assert.equal(answer.bytes, file.length)
    assert.equal(answer.title, 'globex-msa')
    // Read back as Sam from the org itself: the bytes Salesforce keeps are the bytes sent.
    const data = await fetch(
      `${org.url}/services/data/v62.0/sobjects/ContentVersion/${answer.contentVersionId}/VersionData`,
      {
        headers: { authorization: `Bearer ${sam}` },
      },
    )
    assert.equal(data.status, 200)
    assert.equal(sha256(new Uint8Array(await data.arrayBuffer())), sha256(file))
    const version = await soql(
      org,
      `SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${answer.contentVersionId}'`,
    )
    const links = await soql(
      org,
      `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${version.records[0]!.ContentDocumentId}'`,
    )
    assert.ok(links.records.some((l) => String(l.LinkedEntityId).startsWith(GLOBEX)))
  })

  test('as a user who may not see the Opportunity: refused by the org (403 INSUFFICIENT_ACCESS_OR_READONLY), nothing stored', async () => {
    const before = await soql(org, "SELECT COUNT() FROM ContentVersion WHERE Title = 'acme-msa'")
    const { body, contentType } = multipart(randomBytes(64 * 1024), 'acme-msa.pdf', 'application/pdf')
    const res = await upload(ACME, body, contentType)
    const text = await res.text()
    assert.equal(res.status, 403, text)
    assert.equal(JSON.parse(text).errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY')
    assert.equal(text.includes(sam), false)
    assert.equal(
      (await soql(org, "SELECT COUNT() FROM ContentVersion WHERE Title = 'acme-msa'")).totalSize,
      before.totalSize,
    )
  })

  test('a raw body with its name in X-File-Name is attached too', async () => {
    const file = Buffer.from('the signed renewal\n')
    const res = await upload(GLOBEX, file, 'text/plain', { 'x-file-name': 'renewal.txt' })
    assert.equal(res.status, 201, await res.clone().text())
    assert.equal(((await res.json()) as { bytes: number }).bytes, file.length)
  })

  test('a type the route does not accept is 415 before anything reaches the org', async () => {
    const before = await soql(org, "SELECT COUNT() FROM ContentVersion WHERE Title = 'page'")
    const { body, contentType } = multipart(Buffer.from('<html></html>'), 'page.html', 'text/html')
    const res = await upload(GLOBEX, body, contentType)
    assert.equal(res.status, 415)
    assert.equal(
      (await soql(org, "SELECT COUNT() FROM ContentVersion WHERE Title = 'page'")).totalSize,
      before.totalSize,
    )
  })

  test('a file over the route limit is 413, counted as it streams (no Content-Length)', async () => {
    const chunk = randomBytes(1024 * 1024)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 21) return controller.close()
        sent++
        controller.enqueue(chunk)
      },
    })
    const res = await fetch(`${gateway.url}/opportunities/${GLOBEX}/contracts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sam}`,
        'content-type': 'application/octet-stream',
        'x-file-name': 'huge.bin',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    assert.equal(res.status, 413)
    assert.equal((await soql(org, "SELECT COUNT() FROM ContentVersion WHERE Title = 'huge'")).totalSize, 0)
  })

  test('a record id that is not one is 400', async () => {
    const res = await upload('not-an-id', Buffer.from('x'), 'text/plain')
    assert.equal(res.status, 400)
  })
})
