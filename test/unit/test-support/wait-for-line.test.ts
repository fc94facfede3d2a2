import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { describe, test } from 'node:test'
import { watchOutput } from '../../helpers/wait-for-line.ts'

const node = (script: string) =>
  spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })

describe('waiting for a line of a child process', () => {
  test('resolves on a line from either stream, written before or after the wait began', async () => {
    const child = node(
      "process.stdout.write('ready on port 1\\n'); process.stderr.write('warn: late'); setTimeout(() => process.stderr.write('\\nlast\\n'), 50)",
    )
    const output = watchOutput(child)
    assert.equal((await output.waitForLine(/port (\d+)/))[1], '1')
    await output.waitForLine(/^warn: late$/)
    await output.waitForLine(/^last$/)
    assert.equal(output.stdout(), 'ready on port 1\n')
  })

  test('rejects with the output when the process exits without the line', async () => {
    const output = watchOutput(node("console.error('boom'); process.exit(3)"), 'the child')
    await assert.rejects(
      output.waitForLine(/never/),
      /the child exited \(3\) without a line matching \/never\/:\nboom/,
    )
  })

  test('rejects at the deadline while the process keeps running', async () => {
    const child = node("console.log('up'); setInterval(() => {}, 1000)")
    try {
      const output = watchOutput(child)
      await output.waitForLine(/^up$/)
      await assert.rejects(output.waitForLine(/never/, 50), /no line matching \/never\/ .* within 50 ms:\nup/)
    } finally {
      child.kill()
    }
  })
})
