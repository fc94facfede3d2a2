// A file whose bytes do not match the Checksum and ContentSize the org reports stops the run,
// naming the version, and the deal is not recorded in the manifest. The org is a stand-in on
// 127.0.0.1 (the dev org always reports its bytes truthfully); the store a temporary folder.

import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import { ArchiveError } from '../../../src/flows/archive/archive-error.ts'
import { ArchiveRunError, archiveOpportunities } from '../../../src/flows/archive/archive-opportunities.ts'
import { FolderStore } from '../../../src/flows/archive/folder-store.ts'
import { OrgReader } from '../../../src/flows/archive/org-reader.ts'

const DEAL = '0065g00000Acme1AAB'
const VERSION = '0685g00000Ver01AAB'
let served = Buffer.from('hello')
let server: Server
let url: string
let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forcegate-file-checks-'))
  server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '')
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const page = (records: unknown[]) => json({ totalSize: records.length, done: true, records })
    if (path.endsWith(`/ContentVersion/${VERSION}/VersionData`)) {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': served.length })
      return res.end(served)
    }
    if (path.includes('FROM Opportunity'))
      return page([{ Id: DEAL, Name: 'Acme', SystemModstamp: '2026-12-04T10:00:00.000+0000' }])
    if (path.includes('FROM ContentDocumentLink'))
      return page([
        {
          ContentDocumentId: '0695g00000Doc01AAB',
          LinkedEntityId: DEAL,
          ContentDocument: { LatestPublishedVersionId: VERSION, FileExtension: 'txt' },
        },
      ])
    if (path.includes('FROM ContentVersion'))
      return page([
        {
          Id: VERSION,
          PathOnClient: 'note.txt',
          FileExtension: 'txt',
          ContentSize: 5,
          Checksum: createHash('md5').update('hello').digest('hex'),
        },
      ])
    res.writeHead(404).end()
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
after(async () => {
  server.close()
  await rm(dir, { recursive: true, force: true })
})

const run = (target: string) =>
  archiveOpportunities(
    { org: 'stand-in', concurrency: 2 },
    {
      reader: new OrgReader({
        auth: async () => ({ accessToken: 't', instanceUrl: url }),
        invalidate: () => {},
        apiVersion: '62.0',
        timeoutMs: 5000,
        attempts: 1,
        backoffMs: 1,
        sleep: async () => {},
      }),
      store: new FolderStore(join(dir, target)),
      now: () => new Date('2026-12-04T12:00:00Z'),
    },
  )

it('bytes that differ from the org’s Checksum: the run stops naming the version; nothing in the manifest', async () => {
  served = Buffer.from('jello')
  await assert.rejects(run('bad'), (err) => {
    assert.ok(err instanceof ArchiveRunError)
    assert.ok(err.cause instanceof ArchiveError)
    assert.equal(err.cause.code, 'FILE_CHECKSUM_MISMATCH')
    assert.match(
      err.cause.message,
      new RegExp(
        `^ContentVersion ${VERSION}: read 5 bytes with MD5 [0-9a-f]{32}, the org reports 5 bytes with Checksum 5d41402abc4b2a76b9719d911017c592$`,
      ),
    )
    assert.equal(err.summary.archived, 0)
    return true
  })
  assert.equal(existsSync(join(dir, 'bad', 'manifest.json')), false)
})

it('the same bytes as the org reports: archived and recorded', async () => {
  served = Buffer.from('hello')
  const summary = await run('good')
  assert.equal(summary.archived, 1)
  assert.equal(summary.objectsUploaded, 2)
  assert.equal(existsSync(join(dir, 'good', 'manifest.json')), true)
})
