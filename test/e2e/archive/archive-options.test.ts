// The command's options as a user meets them: a progress bar on a terminal, --where and
// --since narrowing the deals, Salesforce's answer to a condition it cannot parse, and
// usage errors.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { BIN, stopWithTestEnv } from '../../helpers/cli-process.ts'
import { type ArchiveFixture, archiveFixture } from './archive-harness.ts'

let f: ArchiveFixture
before(async () => {
  f = await archiveFixture()
  await f.s3.createBucket('options')
})
after(() => f.close())

const toS3 = (prefix: string) => [
  'opportunities',
  '--org',
  'devorg',
  '--to',
  `s3://options/${prefix}`,
  '--s3-endpoint',
  f.s3.endpoint,
]

/** util-linux `script`: runs a command with a pseudo-terminal as its stdout. */
const SCRIPT = '/usr/bin/script'

/** Runs the command with a pseudo-terminal as its stdout. */
function onTerminal(args: readonly string[]): Promise<{ code: number | null; text: string }> {
  const quoted = [process.execPath, BIN, 'archive', ...args, '--config', f.configFile]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(' ')
  return new Promise((resolve) => {
    const child = spawn(SCRIPT, ['-qec', quoted, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Not stopWithTestEnv(): that stops forcegate when its parent is not this process, and
      // here its parent is `script`; the command ends by itself.
      env: process.env,
    })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d.toString()))
    child.stderr.on('data', (d: Buffer) => (text += d.toString()))
    child.on('close', (code) => resolve({ code, text }))
  })
}

describe('archive options', () => {
  it('on a terminal: one progress bar redrawn in place, then the summary', async () => {
    const run = await onTerminal(toS3('tty'))
    assert.equal(run.code, 0, run.text)
    const frames = run.text.split('\r').filter((s) => s.startsWith('['))
    assert.ok(frames.length >= 4, run.text)
    assert.match(frames.at(-1)!, /^\[#{24}\] 4\/4 opportunities · 9 objects · 10\.0 MiB/)
    assert.doesNotMatch(run.text, /^archived 006/m)
    assert.match(run.text, /archived 4 of 4 opportunities \(0 unchanged\)/)
  })

  it('--where and --since narrow the deals read', async () => {
    const won = await f.run([...toS3('won'), '--where', "StageName = 'Closed Won'"])
    assert.equal(won.code, 0, won.stderr)
    assert.match(won.stdout, /^1 opportunities selected$/m)
    assert.match(won.stdout, /^archived 0065g00000Glbx1AAB Globex Data Platform \(3 objects, /m)
    const future = await f.run([...toS3('future'), '--since', '2999-01-01'])
    assert.equal(future.code, 0, future.stderr)
    assert.match(future.stdout, /^archived 0 of 0 opportunities/m)
  })

  it("a condition Salesforce cannot parse: Salesforce's error, exit 1", async () => {
    const run = await f.run([...toS3('bad'), '--where', 'StageName = '])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /^forcegate archive: Salesforce answered 400 MALFORMED_QUERY: /m)
  })

  it('no AWS region anywhere: said so, exit 1', async () => {
    const env: NodeJS.ProcessEnv = {
      ...stopWithTestEnv(),
      AWS_CONFIG_FILE: join(f.dir, 'no-aws-config'),
      AWS_PROFILE: 'none',
    }
    delete env.AWS_REGION
    delete env.AWS_DEFAULT_REGION
    const run = await f.run(toS3('region'), env)
    assert.equal(run.code, 1)
    assert.match(
      run.stderr,
      /^forcegate archive: no AWS region: set AWS_REGION, or a region in the AWS profile$/m,
    )
  })

  it('usage errors exit 2 and say what is wrong', async () => {
    const noTarget = await f.run(['opportunities', '--org', 'devorg'])
    assert.equal(noTarget.code, 2)
    assert.match(noTarget.stderr, /archive opportunities needs --to <s3:\/\/bucket\/prefix \| folder>/)
    const badSince = await f.run([...toS3('x'), '--since', 'last week'])
    assert.equal(badSince.code, 2)
    assert.match(
      badSince.stderr,
      /--since takes a date \(2026-01-31\) or a datetime with zone, not last week/,
    )
    const unknownOrg = await f.run(['opportunities', '--org', 'prod', '--to', 'out'])
    assert.equal(unknownOrg.code, 2)
    assert.match(unknownOrg.stderr, /has no org 'prod' under salesforce\.orgs/)
  })
})
