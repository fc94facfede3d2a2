import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { after, before, test } from 'node:test'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import { createRecordsAsUser, type RecordsAsUser } from '../../src/integrations/salesforce/records-as-user.ts'

/** What the org saw of one request: complete (and answered) or cut off before its end. */
interface Seen {
  readonly url: string
  readonly authorization: string | undefined
  readonly bytes: number
  readonly complete: boolean
}

let server: Server
let records: RecordsAsUser
let next: (seen: Seen) => void = () => {}
const seenNext = () => new Promise<Seen>((resolve) => (next = resolve))

before(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => (bytes += chunk.length))
    const seen = (complete: boolean) =>
      next({ url: req.url ?? '', authorization: req.headers.authorization, bytes, complete })
    req.on('end', () => {
      seen(true)
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
      res.end(req.method === 'POST' ? '{"id":"0685g00000Vers1AAA","success":true}' : '{"records":[]}')
    })
    req.on('aborted', () => seen(false))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  records = createRecordsAsUser({ issuer, timeoutMs: 5000 })
})
after(async () => {
  await records.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function file(chunks: number, size: number, fail?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < chunks; i++) yield Buffer.alloc(size, i)
      if (fail !== undefined) throw fail
    })(),
  )
}

test("queries and uploads go to the issuing org with the user's token", async () => {
  const seen = seenNext()
  const answer = await records.query('user-token', "SELECT Id FROM Opportunity WHERE Id = '0065g00000Acme1'")
  assert.equal(answer.status, 200)
  const q = await seen
  assert.equal(q.authorization, 'Bearer user-token')
  const url = new URL(q.url, 'http://org.invalid')
  assert.equal(url.pathname, '/services/data/v62.0/query')
  assert.equal(url.searchParams.get('q'), "SELECT Id FROM Opportunity WHERE Id = '0065g00000Acme1'")

  const uploaded = seenNext()
  const sent = await records.attach(
    'user-token',
    '0065g00000Acme1',
    { filename: 'c.pdf', contentType: 'application/pdf', body: file(4, 1000) },
    10_000,
  )
  assert.equal(sent.answer.status, 201)
  assert.equal(sent.bytes, 4000)
  const u = await uploaded
  assert.equal(u.complete, true)
  assert.equal(u.url, '/services/data/v62.0/sobjects/ContentVersion')
})

test('a file that passes the limit as it streams never completes its request at the org', async () => {
  const seen = seenNext()
  await assert.rejects(
    records.attach(
      't',
      '0065g00000Acme1',
      { filename: 'big.pdf', contentType: 'application/pdf', body: file(50, 64 * 1024) },
      1_000_000,
    ),
    (err: unknown) => err instanceof GatewayError && err.code === 'GW_BODY_TOO_LARGE',
  )
  const org = await seen
  assert.equal(org.complete, false)
  assert.ok(org.bytes < 1_100_000, `the org received ${org.bytes} bytes`)
})

test('an upload cut off mid-file (the browser went away) never completes its request at the org', async () => {
  const seen = seenNext()
  await assert.rejects(
    records.attach(
      't',
      '0065g00000Acme1',
      { filename: 'cut.pdf', contentType: 'application/pdf', body: file(3, 64 * 1024, new Error('aborted')) },
      10_000_000,
    ),
  )
  assert.equal((await seen).complete, false)
})
