import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { readZip } from '../../../src/export/zip-archive.ts'
import { runCli } from '../../helpers/cli-process.ts'

const EXAMPLE = fileURLToPath(new URL('../../../examples/token-authorizer/', import.meta.url))
let dir = ''
after(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true })
})

type Handler = (event: unknown) => Promise<unknown>

/** The zip as Lambda unpacks it: index.mjs alone, outside the project (no node_modules near). */
async function unpacked(zipFile: string, into: string): Promise<Handler> {
  const entries = readZip(await readFile(zipFile))
  assert.deepEqual(
    entries.map((e) => e.name),
    ['index.mjs'],
  )
  await writeFile(join(into, 'index.mjs'), entries[0]!.data)
  return ((await import(pathToFileURL(join(into, 'index.mjs')).href)) as { handler: Handler }).handler
}

test('each Lambda function of the integrations is one zip whose index.handler answers as the module does', async () => {
  dir = await mkdtemp(join(tmpdir(), 'forcegate-packages-'))
  const out = join(dir, 'out')
  const run = await runCli(['export', 'aws', '--api', join(EXAMPLE, 'openapi.yaml'), '--out', out])
  assert.equal(run.code, 0, run.stderr)
  assert.deepEqual((await readdir(out)).sort(), [
    'DEPLOY.md',
    'hello.zip',
    'openapi.json',
    'template.yaml',
    'token-auth.zip',
  ])
  for (const name of ['hello', 'token-auth']) {
    const into = await mkdtemp(join(dir, `${name}-`))
    const packaged = await unpacked(join(out, `${name}.zip`), into)
    const original = ((await import(join(EXAMPLE, 'functions', `${name}.ts`))) as { handler: Handler })
      .handler
    const event = {
      type: 'TOKEN',
      authorizationToken: 'Bearer wide-gold-ada',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/hello',
      path: '/hello',
      requestContext: { authorizer: { principalId: 'user-1', user: 'ada', tier: 'gold' } },
    }
    assert.deepEqual(await packaged(event), await original(event), name)
  }
})
