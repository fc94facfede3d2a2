import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { runCli } from '../helpers/cli-process.ts'

const README = new URL('../../README.md', import.meta.url)

/** The command list: the first code block of the README's "The `forcegate` command" section. */
async function readmeCommandList(): Promise<string> {
  const text = await readFile(README, 'utf8')
  const section = text.indexOf('## The `forcegate` command')
  assert.ok(section >= 0, 'the README has a section on the command')
  const open = text.indexOf('```\n', section) + 4
  return text.slice(open, text.indexOf('```\n', open))
}

const flagsOf = (text: string): Set<string> => new Set(text.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])

test("the README's command list and `forcegate --help` name the same verbs and flags", async () => {
  const help = await runCli(['--help'])
  assert.equal(help.code, 0)
  assert.equal(help.stderr, '')
  const commands = help.stdout.slice(
    help.stdout.indexOf('Commands:'),
    help.stdout.indexOf('\n\n', help.stdout.indexOf('Commands:')),
  )
  const helpVerbs = new Set([...commands.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!))
  const list = await readmeCommandList()
  const readmeVerbs = new Set([...list.matchAll(/^forcegate ([a-z]+)/gm)].map((m) => m[1]!))
  assert.ok(helpVerbs.size >= 6, [...helpVerbs].join(' '))
  assert.deepEqual([...readmeVerbs].sort(), [...helpVerbs].sort(), 'verbs: README list vs forcegate --help')

  const helpFlags = flagsOf(help.stdout)
  const readmeFlags = flagsOf(list)
  assert.deepEqual(
    [...helpFlags].filter((f) => !readmeFlags.has(f)),
    [],
    'flags in forcegate --help missing from the README list',
  )
  assert.deepEqual(
    [...readmeFlags].filter((f) => !helpFlags.has(f)),
    [],
    'flags in the README list missing from forcegate --help',
  )
})

test('every verb of the top-level help answers --help on stdout with status 0', async () => {
  const help = await runCli(['--help'])
  const commands = help.stdout.slice(
    help.stdout.indexOf('Commands:'),
    help.stdout.indexOf('\n\n', help.stdout.indexOf('Commands:')),
  )
  const verbs = [...commands.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!)
  for (const verb of [...verbs, 'relay dlq', 'relay status']) {
    const run = await runCli([...verb.split(' '), '--help'])
    assert.equal(run.code, 0, `${verb} --help: ${run.stderr}`)
    assert.equal(run.stderr, '', `${verb} --help writes nothing on stderr`)
    assert.match(run.stdout, new RegExp(`forcegate ${verb.split(' ')[0]}`), `${verb} --help`)
  }
})

test('forcegate without a command: the usage on stderr, status 2; an unknown command too', async () => {
  for (const args of [[], ['frobnicate']]) {
    const run = await runCli(args)
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /Usage: forcegate <command>/)
  }
})
