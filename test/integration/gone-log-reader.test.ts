import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const functions = mkdtempSync(join(tmpdir(), 'fg-gone-reader-'))
after(() => rmSync(functions, { recursive: true, force: true }))
// A handler that leaves a stray error behind it: the gateway reports it and keeps serving.
writeFileSync(
  join(functions, 'order-status.mjs'),
  "export const handler = async () => { setTimeout(() => { throw new Error('stray') }, 0); return { statusCode: 200, body: 'ok' } }\n",
)

describe('serve after the reader of its output went away', () => {
  it('keeps answering and stops on SIGTERM when stray errors can no longer be reported', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/forcegate.js',
        'serve',
        '--api',
        'test/fixtures/order-status-open.yaml',
        '--functions',
        functions,
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (code, signal) => resolve([code, signal])),
    )
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = ''
        child.stderr.on('data', (chunk) => {
          seen += String(chunk)
          const match = /http:\/\/127\.0\.0\.1:\d+/.exec(seen)
          if (match !== null) resolve(match[0])
        })
        child.once('exit', () => reject(new Error(`serve exited before listening:\n${seen}`)))
      })
      // The terminal closes: every later write fails with EPIPE.
      child.stdout.destroy()
      child.stderr.destroy()
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${url}/orders/1001`, { signal: AbortSignal.timeout(10_000) })
        assert.equal(res.status, 200)
        assert.equal(await res.text(), 'ok')
      }
      child.kill('SIGTERM')
      assert.deepEqual(await exited, [0, null])
    } finally {
      child.kill('SIGKILL')
    }
  })
})
