// The archive's Salesforce reader against a stand-in org on 127.0.0.1 that answers what the dev
// org's fault switches cannot: an expired session (401), the concurrent-request limit and
// Retry-After. Waits are recorded through the injected sleep, never spent.

import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { after, before, it } from 'node:test'
import { ArchiveError } from '../../../src/flows/archive/archive-error.ts'
import { OrgReader } from '../../../src/flows/archive/org-reader.ts'

type Handler = (req: IncomingMessage, res: ServerResponse) => void
let handler: Handler = () => {}
let server: Server
let url: string
before(async () => {
  server = createServer((req, res) => handler(req, res))
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
after(() => server.close())

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function reader(tokens: string[], waits: number[], invalidated: { count: number }) {
  let current = 0
  return new OrgReader({
    auth: async () => ({ accessToken: tokens[current]!, instanceUrl: url }),
    invalidate: () => {
      invalidated.count++
      current++
    },
    apiVersion: '62.0',
    timeoutMs: 5000,
    attempts: 3,
    backoffMs: 100,
    sleep: async (ms) => {
      waits.push(ms)
    },
  })
}

async function all(r: OrgReader, soql: string) {
  const out = []
  for await (const page of r.query(soql)) out.push(...page.records)
  return out
}

it('an expired session: one new token, the call repeated with it', async () => {
  const seen: string[] = []
  handler = (req, res) => {
    seen.push(String(req.headers.authorization))
    if (req.headers.authorization === 'Bearer old')
      return json(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
    json(res, 200, { totalSize: 1, done: true, records: [{ Id: '0065g00000Acme1AAB' }] })
  }
  const invalidated = { count: 0 }
  const records = await all(reader(['old', 'new'], [], invalidated), 'SELECT Id FROM Opportunity')
  assert.deepEqual(records, [{ Id: '0065g00000Acme1AAB' }])
  assert.deepEqual(seen, ['Bearer old', 'Bearer new'])
  assert.equal(invalidated.count, 1)
})

it('a session refused twice is an error naming INVALID_SESSION_ID, not a loop', async () => {
  handler = (_req, res) =>
    json(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
  const invalidated = { count: 0 }
  await assert.rejects(all(reader(['a', 'b', 'c'], [], invalidated), 'SELECT Id FROM Opportunity'), (err) => {
    assert.ok(err instanceof ArchiveError)
    assert.equal(err.code, 'SALESFORCE_ERROR')
    assert.equal(err.message, 'Salesforce answered 401 INVALID_SESSION_ID: Session expired or invalid')
    assert.doesNotMatch(err.message, /Bearer|\b[abc]\b/)
    return true
  })
  assert.equal(invalidated.count, 1)
})

it('the concurrent-request limit is retried after a backoff; Retry-After is honoured', async () => {
  let calls = 0
  handler = (_req, res) => {
    calls++
    if (calls === 1)
      return json(res, 403, [
        {
          message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
        },
      ])
    if (calls === 2)
      return json(res, 503, [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }], {
        'retry-after': '7',
      })
    json(res, 200, { totalSize: 0, done: true, records: [] })
  }
  const waits: number[] = []
  await all(reader(['t'], waits, { count: 0 }), 'SELECT Id FROM Opportunity')
  assert.equal(calls, 3)
  assert.equal(waits.length, 2)
  assert.ok(waits[0]! >= 50 && waits[0]! <= 100, `first backoff ${waits[0]}`)
  assert.equal(waits[1], 7000)
})

it('pages are followed through nextRecordsUrl', async () => {
  handler = (req, res) => {
    if (req.url?.startsWith('/services/data/v62.0/query?q='))
      return json(res, 200, {
        totalSize: 2,
        done: false,
        nextRecordsUrl: '/services/data/v62.0/query/01gXX-1',
        records: [{ Id: 'a' }],
      })
    if (req.url === '/services/data/v62.0/query/01gXX-1')
      return json(res, 200, { totalSize: 2, done: true, records: [{ Id: 'b' }] })
    json(res, 404, [{ errorCode: 'NOT_FOUND', message: req.url }])
  }
  const records = await all(reader(['t'], [], { count: 0 }), 'SELECT Id FROM Opportunity')
  assert.deepEqual(records, [{ Id: 'a' }, { Id: 'b' }])
})
