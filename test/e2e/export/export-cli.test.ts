import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { importerProblems } from '../../../src/export/importer-rules.ts'
import { runCli } from '../../helpers/cli-process.ts'
import { specProblems } from '../../unit/export/cloudformation-spec.ts'

const EXAMPLE = fileURLToPath(new URL('../../../examples/order-status/', import.meta.url))
const API = join(EXAMPLE, 'openapi.yaml')
const CONFIG = join(EXAMPLE, 'forcegate.yaml')
const dirs: string[] = []
after(async () => {
  delete process.env.FORCEGATE_ENCRYPTION_KEY
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'forcegate-export-'))
  dirs.push(dir)
  return dir
}

test('export aws refuses what AWS cannot run, naming each, and writes nothing', async () => {
  const out = await tempDir()
  const run = await runCli(['export', 'aws', '--api', API, '--config', CONFIG, '--out', out])
  assert.equal(run.code, 1, run.stderr)
  assert.match(run.stderr, /cannot export to AWS/)
  assert.match(run.stderr, /the developer portal \(\/portal\): it needs a browser session/)
  assert.match(run.stderr, /the partners admin API/)
  assert.match(run.stderr, /--exclude-unexportable/)
  assert.deepEqual(await readdir(out), [])
})

test('export aws --exclude-unexportable lists what it left out and writes an importable openapi.json', async () => {
  const out = await tempDir()
  // The example's configuration with its partner store in a fresh folder (contracts are read from it).
  const config = join(await tempDir(), 'forcegate.yaml')
  const text = (await readFile(CONFIG, 'utf8')).replace(
    'path: ../../.forcegate/partners.db',
    'path: partners.db',
  )
  assert.ok(text.includes('path: partners.db'))
  await writeFile(config, text)
  process.env.FORCEGATE_ENCRYPTION_KEY = randomBytes(32).toString('base64')
  const run = await runCli([
    'export',
    'aws',
    '--api',
    API,
    '--config',
    config,
    '--out',
    out,
    '--exclude-unexportable',
  ])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /^excluded the developer portal \(\/portal\)/m)
  assert.match(run.stdout, /^authorizer forcegate-authorizer-salesforce \(scheme salesforce\)$/m)
  assert.match(run.stdout, /^function order-status$/m)
  assert.deepEqual((await readdir(out)).sort(), [
    'DEPLOY.md',
    'forcegate-authorizer-salesforce.zip',
    'forcegate-authorizer-salesforceIntegration.zip',
    'openapi.json',
    'order-events.zip',
    'order-status.zip',
    'template.yaml',
  ])
  const template = parse(await readFile(join(out, 'template.yaml'), 'utf8'))
  assert.deepEqual(specProblems(template), [])
  assert.deepEqual(
    Object.values(
      template.Resources as Record<string, { Type: string; Properties: { UsagePlanName?: string } }>,
    )
      .filter((r) => r.Type === 'AWS::ApiGateway::UsagePlan')
      .map((r) => r.Properties.UsagePlanName),
    ['standard', 'trial'],
  )
  assert.match(
    await readFile(join(out, 'DEPLOY.md'), 'utf8'),
    /aws cloudformation deploy --template-file template.yaml/,
  )
  const doc = JSON.parse(await readFile(join(out, 'openapi.json'), 'utf8'))
  assert.equal(doc.openapi, '3.0.1')
  assert.deepEqual(importerProblems(doc), [])
})

test('export aws --check validates without writing; an API alone (no forcegate.yaml) exports', async () => {
  const out = await tempDir()
  const api = fileURLToPath(new URL('../../../examples/token-authorizer/openapi.yaml', import.meta.url))
  const run = await runCli(['export', 'aws', '--api', api, '--out', out, '--check'])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /the API can be exported/)
  assert.deepEqual(await readdir(out), [])
})

test('export without a target or --api is a usage error (status 2)', async () => {
  for (const args of [['export'], ['export', 'gcp', '--api', API, '--check'], ['export', 'aws', '--check']]) {
    const run = await runCli(args)
    assert.equal(run.code, 2, args.join(' '))
    assert.match(run.stderr, /export/)
  }
})

test('an API document forcegate itself refuses is not exported (status 1, where and why)', async () => {
  const dir = await tempDir()
  const bad = join(dir, 'openapi.json')
  await writeFile(
    bad,
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'lambda' } } } },
    }),
  )
  const run = await runCli(['export', 'aws', '--api', bad, '--check'])
  assert.equal(run.code, 1)
  assert.match(run.stderr, /configuration error[\s\S]*\/paths\/~1a\/get\/x-amazon-apigateway-integration/)
})

test('contracts are not exported from a PostgreSQL partner store (refused, not an empty snapshot)', async () => {
  const config = join(await tempDir(), 'forcegate.yaml')
  const text = (await readFile(CONFIG, 'utf8')).replace(
    'path: ../../.forcegate/partners.db',
    'path: partners.db',
  )
  await writeFile(config, `${text}\nstores:\n  postgres:\n    url: { env: TEST_EXPORT_PG_URL }\n`)
  const run = await runCli([
    'export',
    'aws',
    '--api',
    API,
    '--config',
    config,
    '--check',
    '--exclude-unexportable',
  ])
  assert.equal(run.code, 1, run.stderr)
  assert.match(
    run.stderr,
    /\/stores\/postgres: export aws reads contracts from the SQLite partner store only/,
  )
})
