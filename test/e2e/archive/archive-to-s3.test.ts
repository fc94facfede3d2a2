// `forcegate archive opportunities` into a real S3-compatible server: every object read back
// matches the dev org's bytes and the manifest's SHA-256, a second run writes nothing, an
// interrupted run resumes, and `archive verify` catches an object changed behind its back.

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { ACME_DEAL, type ArchiveFixture, archiveFixture, BIG_FILE_SIZE, sha256 } from './archive-harness.ts'

interface Manifest {
  format: string
  opportunities: Record<
    string,
    { name: string; systemModstamp: string; objects: { key: string; sha256: string; size: number }[] }
  >
}

let f: ArchiveFixture
before(async () => {
  f = await archiveFixture()
  await f.s3.createBucket('acme-archive')
})
after(() => f.close())

const s3Args = (prefix: string) => [
  'opportunities',
  '--org',
  'devorg',
  '--to',
  `s3://acme-archive/${prefix}`,
  '--s3-endpoint',
  f.s3.endpoint,
]

async function manifestOf(prefix: string): Promise<Manifest> {
  return JSON.parse(
    (await f.s3Bytes('acme-archive', `${prefix}/manifest.json`)).bytes.toString('utf8'),
  ) as Manifest
}

describe('archive into S3', () => {
  it('stores every deal with its related records and files; each object read back matches the org and the manifest', async () => {
    const run = await f.run(s3Args('deals'))
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^4 opportunities selected$/m)
    assert.match(
      run.stdout,
      /^archived 4 of 4 opportunities \(0 unchanged\): 9 objects, 10\.0 MiB uploaded to s3:\/\/acme-archive\/deals\/$/m,
    )
    const manifest = await manifestOf('deals')
    assert.equal(manifest.format, 'forcegate-opportunity-archive/1')
    assert.deepEqual(
      Object.values(manifest.opportunities)
        .map((o) => o.name)
        .sort(),
      ['Acme Factory Automation', 'Acme Spare Parts', 'Globex Data Platform', 'Initech Renewal'],
    )
    let files = 0
    for (const [id, entry] of Object.entries(manifest.opportunities)) {
      const doc = JSON.parse(
        (await f.s3Bytes('acme-archive', `deals/opportunities/${id}/opportunity.json`)).bytes.toString(
          'utf8',
        ),
      )
      assert.equal(doc.opportunity.Id, id)
      for (const object of entry.objects) {
        const stored = await f.s3Bytes('acme-archive', `deals/${object.key}`)
        assert.equal(sha256(stored.bytes), object.sha256, object.key)
        assert.equal(stored.bytes.length, object.size, object.key)
        const file = /\/files\/[^/]+\/([^/]+)\//.exec(object.key)
        if (file === null) continue
        files++
        const fromOrg = await f.versionBytes(file[1]!)
        assert.ok(stored.bytes.equals(fromOrg), `${object.key} differs from the org's VersionData`)
        if (fromOrg.length === BIG_FILE_SIZE)
          assert.match(stored.etag, /-2"$/, 'the big file went up in parts')
      }
    }
    assert.equal(files, 5)
    const acme = JSON.parse(
      (await f.s3Bytes('acme-archive', `deals/opportunities/${ACME_DEAL}/opportunity.json`)).bytes.toString(
        'utf8',
      ),
    )
    assert.equal(acme.lineItems.length, 2)
    assert.equal(acme.contactRoles[0].Role, 'Decision Maker')
    assert.deepEqual(acme.files.map((x: { version: { Title: string } }) => x.version.Title).sort(), [
      'Acme master agreement (draft)',
      'Acme signed contract',
    ])
  })

  it('a second run uploads nothing', async () => {
    const writesBefore = (await f.s3.writes()).length
    const run = await f.run(s3Args('deals'))
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^archived 0 of 4 opportunities \(4 unchanged\): 0 objects, 0 B uploaded/m)
    const writes = await f.s3.writes()
    assert.equal(writes.length, writesBefore, writes.slice(writesBefore).join('\n'))
  })

  it('a deal changed in the org is archived again on the next run, alone', async () => {
    const res = await fetch(`${f.org.url}/services/data/v62.0/sobjects/Opportunity/${ACME_DEAL}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${f.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ StageName: 'Closed Won' }),
    })
    assert.equal(res.status, 204)
    const writesBefore = (await f.s3.writes()).length
    const run = await f.run(s3Args('deals'))
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^archived 1 of 4 opportunities \(3 unchanged\): 1 objects/m)
    // The deal's document and the manifest; its files' versions were archived already.
    assert.deepEqual(
      (await f.s3.writes()).slice(writesBefore).map((w) => w.split(' ')[2]!.split('?')[0]),
      [
        `/acme-archive/deals/opportunities/${ACME_DEAL}/opportunity.json`,
        '/acme-archive/deals/manifest.json',
      ],
    )
    const doc = JSON.parse(
      (await f.s3Bytes('acme-archive', `deals/opportunities/${ACME_DEAL}/opportunity.json`)).bytes.toString(
        'utf8',
      ),
    )
    assert.equal(doc.opportunity.StageName, 'Closed Won')
  })

  it('verify checks every object, and names the one changed behind its back', async () => {
    const good = await f.run(['verify', '--to', 's3://acme-archive/deals', '--s3-endpoint', f.s3.endpoint])
    assert.equal(good.code, 0, good.stderr)
    assert.match(
      good.stdout,
      /^verified 9 objects of 4 opportunities \(10\.0 MiB\) in s3:\/\/acme-archive\/deals\/: every SHA-256 matches the manifest$/m,
    )
    const manifest = await manifestOf('deals')
    const victim = manifest.opportunities[ACME_DEAL]!.objects.find((o) =>
      o.key.endsWith('acme-master-agreement.pdf'),
    )!
    await f.s3.client.send(
      new PutObjectCommand({
        Bucket: 'acme-archive',
        Key: `deals/${victim.key}`,
        Body: Buffer.from('%PDF-1.4 tampered\n'),
      }),
    )
    const bad = await f.run(['verify', '--to', 's3://acme-archive/deals', '--s3-endpoint', f.s3.endpoint])
    assert.equal(bad.code, 1)
    assert.equal(bad.stdout.split('\n').filter((l) => l.startsWith('MISMATCH')).length, 1)
    assert.match(
      bad.stdout,
      new RegExp(`^MISMATCH ${victim.key.replace(/[.()]/g, '\\$&')}: stored 18 bytes`, 'm'),
    )
    assert.match(bad.stderr, /1 of 9 objects in s3:\/\/acme-archive\/deals\/ failed/)
  })

  it('an interrupted run resumes: the next run skips what the first one stored and finishes the rest', async () => {
    f.org.faults.slowMs = 150
    const first = f.start([...s3Args('resume'), '--concurrency', '1'])
    await first.output.waitForLine(/^archived /)
    first.child.kill('SIGKILL')
    await first.exit
    f.org.faults.slowMs = 0
    const done = first.output
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('archived '))
      .map((l) => l.split(' ')[1])
    const second = await f.run(s3Args('resume'))
    assert.equal(second.code, 0, second.stderr)
    const unchanged = second.stdout
      .split('\n')
      .filter((l) => l.startsWith('unchanged '))
      .map((l) => l.split(' ')[1])
    const archived = [...second.stdout.matchAll(/^archived (006\S+) /gm)].map((m) => m[1])
    for (const id of done) assert.ok(unchanged.includes(id), `${id} was stored by the first run`)
    assert.ok(
      archived.length >= 1 && unchanged.length + archived.filter((a) => /^006/.test(a!)).length === 4,
      second.stdout,
    )
    const verify = await f.run(['verify', '--to', 's3://acme-archive/resume', '--s3-endpoint', f.s3.endpoint])
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    assert.match(verify.stdout, /^verified 9 objects of 4 opportunities/m)
  })

  it('Ctrl-C mid-run: exit 130, says how far it got; the same command finishes the archive', async () => {
    f.org.faults.slowMs = 150
    let first: ReturnType<ArchiveFixture['start']>
    try {
      first = f.start([...s3Args('sigint'), '--concurrency', '1'])
      await first.output.waitForLine(/^archived /)
      first.child.kill('SIGINT')
      assert.equal(await first.exit, 130, first.output.text())
    } finally {
      f.org.faults.slowMs = 0
    }
    assert.match(
      first.output.stderr(),
      /^forcegate archive: interrupted after archiving [1-4] opportunities \(\d+ objects\) to s3:\/\/acme-archive\/sigint\/; run the same command again to resume$/m,
    )
    const second = await f.run(s3Args('sigint'))
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /\([1-4] unchanged\)/)
    const verify = await f.run(['verify', '--to', 's3://acme-archive/sigint', '--s3-endpoint', f.s3.endpoint])
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    assert.match(verify.stdout, /^verified 9 objects of 4 opportunities/m)
  })

  it('into a local folder with the same layout, verified the same way', async () => {
    const run = await f.run(['opportunities', '--org', 'devorg', '--to', 'local-archive'])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /uploaded to .*local-archive$/m)
    const manifest = JSON.parse(
      await readFile(join(f.dir, 'local-archive', 'manifest.json'), 'utf8'),
    ) as Manifest
    const big = manifest.opportunities[ACME_DEAL]!.objects.find((o) => o.size === BIG_FILE_SIZE)!
    const bytes = await readFile(join(f.dir, 'local-archive', ...big.key.split('/')))
    assert.equal(sha256(bytes), big.sha256)
    const verify = await f.run(['verify', '--to', 'local-archive'])
    assert.equal(verify.code, 0, verify.stderr)
  })
})
