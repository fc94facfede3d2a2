import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { BIN, runCli } from '../helpers/cli-process.ts'

const START = fileURLToPath(new URL('../../bin/start.ts', import.meta.url))
const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const SEED_IAT = 'YhkBi3pzLiguDCFHW1bs6pvR4a37D91vBx1xCHug'

let home: string
let child: ChildProcess
let gatewayUrl: string
let orgUrl: string
let output = ''

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'forcegate-start-'))
  child = spawn(process.execPath, [START], {
    env: { ...process.env, FORCEGATE_HOME: home, FORCEGATE_PORT: '0', FORCEGATE_DEVORG_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 30_000)
    const onData = (d: Buffer) => {
      output += d.toString()
      const gw = /Gateway: (http:\/\/\S+)\s+Dev org: (http:\/\/\S+)/.exec(output)
      if (gw !== null) {
        clearTimeout(timer)
        gatewayUrl = gw[1]!
        orgUrl = gw[2]!
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${output}`)))
  })
})
after(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  await rm(home, { recursive: true, force: true })
})

test('the README walkthrough: health, 401, register a partner, code flow, API call, quota', async () => {
  assert.equal((await fetch(`${gatewayUrl}/health`)).status, 200)
  assert.equal((await fetch(`${gatewayUrl}/orders/1001`)).status, 401)

  const env = { FORCEGATE_INITIAL_ACCESS_TOKEN: SEED_IAT }
  Object.assign(process.env, env)
  const registered = await runCli([
    'partners',
    'register',
    '--org',
    orgUrl,
    '--store',
    join(home, 'partners.db'),
    '--name',
    'Acme',
    '--redirect-uri',
    'http://127.0.0.1:8766/callback',
    '--api',
    'order-status',
    '--plan',
    'trial',
    '--json',
  ])
  assert.equal(registered.code, 0, registered.stderr)
  const { credentials } = JSON.parse(registered.stdout) as {
    credentials: { clientId: string; clientSecret: string }
  }

  const login = spawn(
    process.execPath,
    [
      BIN,
      'login',
      '--org',
      orgUrl,
      '--client-id',
      credentials.clientId,
      '--scope',
      'api',
      '--redirect-uri',
      'http://127.0.0.1:8766/callback',
    ],
    {
      env: { ...process.env, FORCEGATE_CLIENT_SECRET: credentials.clientSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let token = ''
  let loginErr = ''
  login.stdout.on('data', (d: Buffer) => (token += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(loginErr)), 15_000)
    login.stderr.on('data', (d: Buffer) => {
      loginErr += d.toString()
      const found = /(http:\/\/\S+\/services\/oauth2\/authorize\S+)/.exec(loginErr)?.[1]
      if (found !== undefined && loginErr.includes('Waiting for')) {
        clearTimeout(timer)
        resolve(found)
      }
    })
  })
  await fetch(await authorizeInteractively(new Browser(), url, USER))
  assert.equal(await new Promise((r) => login.once('exit', r)), 0, loginErr)

  const headers = { authorization: `Bearer ${token.trim()}` }
  const res = await fetch(`${gatewayUrl}/orders/1001`, { headers })
  assert.equal(res.status, 200, await res.clone().text())
  const order = (await res.json()) as { status: string; caller: { username: string; clientId: string } }
  assert.equal(order.status, 'SHIPPED')
  assert.equal(order.caller.username, USER.username)
  assert.equal(order.caller.clientId, credentials.clientId)

  // The trial plan allows 5 calls a day: the sixth is refused.
  for (let i = 0; i < 4; i++) assert.equal((await fetch(`${gatewayUrl}/orders`, { headers })).status, 200)
  assert.equal((await fetch(`${gatewayUrl}/orders`, { headers })).status, 429)
})
