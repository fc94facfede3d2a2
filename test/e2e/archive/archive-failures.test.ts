// What the person running `forcegate archive` sees when S3 or Salesforce fails: each failure
// named, exit status 1, and an archive that the same command completes afterwards.
//
// fauxqs checks no credentials, so access denied comes from a stand-in on 127.0.0.1 that
// answers every request with S3's 403 AccessDenied error document.

import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { type ArchiveFixture, archiveFixture } from './archive-harness.ts'

let f: ArchiveFixture
before(async () => {
  f = await archiveFixture()
  await f.s3.createBucket('deals')
})
after(() => f.close())

const toS3 = (bucket: string, prefix: string, endpoint = f.s3.endpoint) => [
  'opportunities',
  '--org',
  'devorg',
  '--to',
  `s3://${bucket}/${prefix}`,
  '--s3-endpoint',
  endpoint,
]

async function accessDeniedServer(): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'DENIED0001' })
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>' +
          '<RequestId>DENIED0001</RequestId><HostId>stand-in</HostId></Error>',
      )
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }
}

describe('Salesforce failures', () => {
  it("REQUEST_LIMIT_EXCEEDED (the daily allocation): not retried, named with the org's usage, nothing written; the same command completes later", async () => {
    const writesBefore = (await f.s3.writes()).length
    f.org.faults.requestLimitExceededNext = 1
    const run = await f.run(toS3('deals', 'limit'))
    assert.equal(run.code, 1)
    assert.match(
      run.stderr,
      /^forcegate archive: Salesforce refused the request: REQUEST_LIMIT_EXCEEDED TotalRequests Limit exceeded\. \(api-usage=\d+\/15000\); the org has used its API allocation, run again once it has recovered$/m,
    )
    assert.doesNotMatch(run.stderr, /retrying/)
    assert.equal((await f.s3.writes()).length, writesBefore)
    const again = await f.run(toS3('deals', 'limit'))
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /^archived 4 of 4 opportunities/m)
  })

  it('503 SERVER_UNAVAILABLE for a while: retried with backoff, the run completes', async () => {
    f.org.faults.unavailableNext = 2
    const run = await f.run(toS3('deals', 'flaky'))
    assert.equal(run.code, 0, run.stderr)
    assert.equal(
      run.stderr.match(/^Salesforce answered 503 SERVER_UNAVAILABLE; retrying in \d+ ms$/gm)?.length,
      2,
      run.stderr,
    )
    assert.match(run.stdout, /^archived 4 of 4 opportunities/m)
    assert.equal(f.org.faults.unavailableNext, 0)
  })

  it('503 that does not clear: the run gives up after its tries and says so', async () => {
    f.org.faults.unavailableNext = 5
    try {
      const run = await f.run(toS3('deals', 'down'))
      assert.equal(run.code, 1)
      assert.match(
        run.stderr,
        /^forcegate archive: Salesforce answered 503 SERVER_UNAVAILABLE 5 times; run again later to resume$/m,
      )
    } finally {
      f.org.faults.unavailableNext = 0
    }
  })
})

describe('S3 failures', () => {
  it('a bucket that does not exist: named, nothing read from Salesforce', async () => {
    const run = await f.run(toS3('no-such-bucket', 'x'))
    assert.equal(run.code, 1)
    assert.match(
      run.stderr,
      /^forcegate archive: the bucket 'no-such-bucket' does not exist \(the S3 endpoint http:\/\/127\.0\.0\.1:\d+\)$/m,
    )
    assert.doesNotMatch(run.stdout, /opportunities selected/)
  })

  it('access denied: the key and S3 code named, with what to check', async () => {
    const denied = await accessDeniedServer()
    try {
      const run = await f.run(toS3('deals', 'denied', denied.endpoint))
      assert.equal(run.code, 1)
      assert.match(
        run.stderr,
        /^forcegate archive: access denied writing or reading s3:\/\/deals\/denied\/manifest\.json: AccessDenied: Access Denied; check the credentials and the bucket policy/m,
      )
    } finally {
      denied.server.close()
    }
  })

  it('S3 going down mid-run: the run stops, says how far it got, and exits 1', async () => {
    const s3 = f.s3
    f.org.faults.slowMs = 150
    try {
      const started = f.start([...toS3('deals', 'outage'), '--concurrency', '1'])
      await started.output.waitForLine(/^archived /)
      await s3.kill()
      assert.equal(await started.exit, 1)
      assert.match(
        started.output.stderr(),
        /^forcegate archive: the S3 endpoint http:\/\/127\.0\.0\.1:\d+ cannot be reached \((ECONNREFUSED|ECONNRESET)\) at s3:\/\/deals\/outage\//m,
      )
      assert.match(
        started.output.stderr(),
        /^stopped after archiving [1-3] opportunities \(\d+ objects\) to s3:\/\/deals\/outage\/; run the same command again to resume$/m,
      )
    } finally {
      f.org.faults.slowMs = 0
    }
  })
})
