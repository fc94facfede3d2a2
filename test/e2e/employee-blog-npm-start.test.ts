import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { watchOutput } from '../helpers/wait-for-line.ts'

const START = fileURLToPath(new URL('../../bin/start.ts', import.meta.url))

let home: string
let child: ChildProcess
let blogUrl: string
let gatewayUrl: string

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'forcegate-blog-start-'))
  child = spawn(process.execPath, [START], {
    env: {
      ...process.env,
      FORCEGATE_HOME: home,
      FORCEGATE_PORT: '0',
      FORCEGATE_DEVORG_PORT: '0',
      FORCEGATE_PUBSUB_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = watchOutput(child, 'npm start')
  const [, gw] = await output.waitForLine(/Gateway: (http:\/\/\S+)\s+Dev org:/, 30_000)
  gatewayUrl = gw!
  const [, blog] = await output.waitForLine(/Employee blog: (http:\/\/\S+)/, 30_000)
  blogUrl = blog!
})
after(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  await rm(home, { recursive: true, force: true })
})

test('npm start serves the employee blog beside the order-status example', async () => {
  assert.notEqual(blogUrl, gatewayUrl)
  const front = await fetch(`${blogUrl}/`)
  assert.equal(front.status, 200, await front.clone().text())
  assert.match(front.headers.get('content-type') ?? '', /text\/html/)
  assert.match(await front.text(), /Acme Engineering Blog/)
  // Writing needs a sign-in: a page that says so, with the way to sign in.
  const write = await fetch(`${blogUrl}/write`, { headers: { accept: 'text/html' } })
  assert.equal(write.status, 401)
  assert.match(await write.text(), /href="\/portal\/login"/)
  assert.equal((await fetch(`${gatewayUrl}/health`)).status, 200)
})

test('the posts live in the state folder, readable by their owner only', () => {
  assert.equal(statSync(join(home, 'blog.db')).mode & 0o777, 0o600)
})
