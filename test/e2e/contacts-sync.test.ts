import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { SyncProgress } from '../../src/flows/contacts/sync-progress.ts'
import { BIN, runCli, stopWithTestEnv } from '../helpers/cli-process.ts'
import { watchOutput } from '../helpers/wait-for-line.ts'
import { devorgWriteYaml, soql } from '../integration/salesforce-target-support.ts'

function customersCsv(prefix: string, count: number): string {
  const rows = ['customerId,firstName,lastName,email']
  for (let i = 1; i <= count; i++)
    rows.push(`${prefix}-${i},Customer,"Number ${i}, Esq.",${prefix.toLowerCase()}${i}@example.com`)
  return `${rows.join('\n')}\n`
}

describe('forcegate sync contacts against the dev org (real processes)', () => {
  let org: DevOrg
  let dir: string
  let config: string
  before(async () => {
    org = await startDevOrg({ port: 0 })
    dir = await mkdtemp(join(tmpdir(), 'forcegate-sync-'))
    config = join(dir, 'forcegate.yaml')
    await writeFile(config, `${devorgWriteYaml(org, 'TEST_SF_SYNC_SECRET').join('\n')}\n`)
  })
  after(async () => {
    await org?.close()
    await rm(dir, { recursive: true, force: true })
  })

  test('a 1,000-customer back-fill killed midway (SIGKILL) and resumed gives exactly 1,000 Contacts', async () => {
    const file = join(dir, 'customers.csv')
    await writeFile(file, customersCsv('BF', 1000))
    org.faults.slowMs = 150
    const child = spawn(
      process.execPath,
      [BIN, 'sync', 'contacts', '--org', 'devorg', '--file', file, '--config', config],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: stopWithTestEnv(),
      },
    )
    const output = watchOutput(child, 'forcegate sync')
    await output.waitForLine(/contacts 200\/1000 \(20%\) created 200, updated 0, failed 0/)
    const exited = new Promise((done) => child.once('exit', done))
    child.kill('SIGKILL')
    await exited
    org.faults.slowMs = 0
    const checkpoint = JSON.parse(readFileSync(`${file}.checkpoint.json`, 'utf8')) as { done: number }
    assert.ok(checkpoint.done >= 200 && checkpoint.done < 1000, `checkpoint at ${checkpoint.done}`)
    const before = await soql(org, "SELECT COUNT() FROM Contact WHERE Customer_Id__c LIKE 'BF-%'")
    assert.ok(before.totalSize < 1000)

    const resumed = await runCli(
      ['sync', 'contacts', '--org', 'devorg', '--file', file, '--config', config],
      60_000,
    )
    assert.equal(resumed.code, 0, resumed.stderr)
    const summary =
      /contacts: 1000 records \(resumed after record (\d+)\): created (\d+), updated (\d+), failed 0/.exec(
        resumed.stdout,
      )
    assert.ok(summary, resumed.stdout)
    assert.equal(Number(summary[1]), checkpoint.done)
    assert.equal(Number(summary[2]) + Number(summary[3]), 1000)
    assert.match(resumed.stderr, /contacts 1000\/1000 \(100%\)/)
    assert.equal(existsSync(`${file}.checkpoint.json`), false)

    const rows = await soql(
      org,
      "SELECT Customer_Id__c, LastName FROM Contact WHERE Customer_Id__c LIKE 'BF-%'",
    )
    assert.equal(rows.totalSize, 1000)
    assert.equal(new Set(rows.records.map((r) => r.Customer_Id__c)).size, 1000)
    assert.ok(rows.records.some((r) => r.LastName === 'Number 7, Esq.'))
  })

  test('records Salesforce refuses go to the error report; the rest are written; exit 1 with the summary', async () => {
    const file = join(dir, 'mixed.ndjson')
    await writeFile(
      file,
      [
        { customerId: 'MX-1', lastName: 'Fine', email: 'mx1@example.com' },
        { customerId: 'MX-2', firstName: 'No last name' },
        { lastName: 'No id' },
        { customerId: 'MX-3', lastName: 'Dup', email: 'wile@acme.example.com' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    )
    const run = await runCli(
      ['sync', 'contacts', '--org', 'devorg', '--file', file, '--config', config],
      60_000,
    )
    assert.equal(run.code, 1, run.stderr)
    assert.match(run.stdout, /contacts: 4 records: created 1, updated 0, failed 3/)
    const report = readFileSync(`${file}.errors.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { line: number; externalId: string | null; errors: { errorCode: string }[] },
      )
    assert.deepEqual(report.map((r) => [r.line, r.externalId, r.errors[0]!.errorCode]).sort(), [
      [2, 'MX-2', 'REQUIRED_FIELD_MISSING'],
      [3, null, 'INVALID_INPUT'],
      [4, 'MX-3', 'DUPLICATES_DETECTED'],
    ])
  })

  test('the org unavailable stops the run with a resumable checkpoint, not a pile of failed records', async () => {
    const file = join(dir, 'outage.csv')
    await writeFile(file, customersCsv('OUT', 3))
    org.faults.unavailable = true
    try {
      const run = await runCli(
        ['sync', 'contacts', '--org', 'devorg', '--file', file, '--config', config],
        60_000,
      )
      assert.equal(run.code, 1)
      assert.match(run.stderr, /stopped: .*Run the same command again to resume/s)
    } finally {
      org.faults.unavailable = false
    }
    const again = await runCli(
      ['sync', 'contacts', '--org', 'devorg', '--file', file, '--config', config],
      60_000,
    )
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /created 3, updated 0, failed 0/)
  })
})

describe('sync progress', () => {
  test('on a terminal: a bar redrawn in place with an ETA from the rate so far', () => {
    let now = 0
    let text = ''
    const progress = new SyncProgress({ isTTY: true, write: (t) => (text += t) }, () => now, 0)
    now = 2000
    progress.update({ done: 200, total: 1000, created: 200, updated: 0, failed: 0 })
    assert.ok(text.startsWith('\r\u001b[2K'), JSON.stringify(text))
    assert.match(text, /\[#####-+\] 200\/1000 20% created 200, updated 0, failed 0 ETA 8s$/)
    progress.finish()
    assert.ok(text.endsWith('\n'))
  })
})
