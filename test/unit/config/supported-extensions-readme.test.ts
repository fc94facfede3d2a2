/**
 * The README's table of API Gateway extensions lists every extension forcegate knows, and says
 * "not yet" for the ones it refuses as not supported yet.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { AWS_EXTENSIONS } from '../../../src/config/openapi/aws-extensions.ts'

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

test("the README's extension table names every extension, with its support", () => {
  const start = README.indexOf('| extension | where | forcegate |')
  assert.ok(start >= 0, 'the table is in the README')
  const rows = README.slice(start).split('\n\n')[0]!.split('\n')
  for (const ext of AWS_EXTENSIONS) {
    const row = rows.find((r) => r.startsWith('| ') && r.split(' | ')[0]!.includes(`\`${ext.name}\``))
    assert.ok(row !== undefined, `${ext.name} has a row`)
    if (ext.support === 'unsupported') assert.match(row, /not yet/, ext.name)
    if (ext.support === 'ignored') assert.match(row, /no effect/, ext.name)
  }
})
