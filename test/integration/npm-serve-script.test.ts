import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

const ROOT = new URL('../../', import.meta.url)

test('npm run serve is the forcegate serve command', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
    scripts: Record<string, string>
  }
  const [runtime, script, ...args] = pkg.scripts.serve!.split(' ')
  assert.equal(runtime, 'node')
  // The script's file is the command users run; asked without an API, it says what it needs.
  const run = spawnSync(process.execPath, [script!, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(run.status, 2, run.stderr)
  assert.match(run.stderr, /serve needs --api <openapi file>/)
})
