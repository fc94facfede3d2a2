import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { BIN, runCli } from '../helpers/cli-process.ts'
import { freePort } from '../helpers/free-port.ts'
import { watchOutput } from '../helpers/wait-for-line.ts'

const START = fileURLToPath(new URL('../../bin/start.ts', import.meta.url))
const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const SEED_IAT = 'YhkBi3pzLiguDCFHW1bs6pvR4a37D91vBx1xCHug'

let home: string
let child: ChildProcess
let gatewayUrl: string
let orgUrl: string

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'forcegate-start-'))
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
  const [, gw, org] = await output.waitForLine(/Gateway: (http:\/\/\S+)\s+Dev org: (http:\/\/\S+)/, 30_000)
  gatewayUrl = gw!
  orgUrl = org!
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

  // `forcegate login` listens on its redirect URI: a port nobody uses, never a fixed one.
  const redirect = `http://127.0.0.1:${await freePort()}/callback`
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
    redirect,
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
      redirect,
    ],
    {
      env: { ...process.env, FORCEGATE_CLIENT_SECRET: credentials.clientSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const loginOutput = watchOutput(login, 'forcegate login')
  const loggedIn = new Promise((r) => login.once('close', r))
  const url = (await loginOutput.waitForLine(/(http:\/\/\S+\/services\/oauth2\/authorize\S+)/))[1]!
  await loginOutput.waitForLine(/^Waiting for /)
  await fetch(await authorizeInteractively(new Browser(), url, USER))
  assert.equal(await loggedIn, 0, loginOutput.stderr())

  const headers = { authorization: `Bearer ${loginOutput.stdout().trim()}` }
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
