import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runCli } from '../helpers/cli-process.ts'

// Every verb answers --help on stdout with status 0 and writes nothing else.
const HELP: readonly (readonly string[])[] = [
  ['serve', '--help'],
  ['serve', '-h'],
  ['explain', '--help'],
  ['login', '--help'],
  ['partners', '--help'],
  ['partners', 'register', '--help'],
  ['partners', 'rotate', '--help'],
  ['devorg', '--help'],
  ['relay', '--help'],
  ['relay', 'dlq', '--help'],
  ['archive', '--help'],
  ['sync', '--help'],
]

for (const args of HELP) {
  test(`forcegate ${args.join(' ')}: the verb's usage on stdout, status 0`, async () => {
    const run = await runCli(args)
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    assert.match(run.stdout, new RegExp(`forcegate ${args[0]}`))
  })
}

test('--help wins over missing required flags: serve --help without --api', async () => {
  const run = await runCli(['serve', '--help'])
  assert.match(run.stdout, /--api <file>/)
  assert.match(run.stdout, /FORCEGATE_PORT/)
})

for (const args of [
  ['serve', '--api', 'x.yaml', '--bogus'],
  ['explain', '--api', 'x.yaml', '--nope'],
  ['login', '--org', 'http://127.0.0.1:1', '--what'],
  ['serve'],
  ['explain', '--api', 'x.yaml'],
]) {
  test(`a usage error exits 2 on stderr, nothing on stdout: forcegate ${args.join(' ')}`, async () => {
    const run = await runCli(args)
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^forcegate: /)
  })
}

test('forcegate without a command: the usage on stderr, status 2; --help: on stdout, status 0', async () => {
  const bare = await runCli([])
  assert.equal(bare.code, 2)
  assert.equal(bare.stdout, '')
  assert.match(bare.stderr, /Usage: forcegate <command>/)
  const help = await runCli(['--help'])
  assert.equal(help.code, 0)
  assert.equal(help.stderr, '')
  assert.match(help.stdout, /Usage: forcegate <command>/)
})
