import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { findChromium } from '../helpers/chromium.ts'
import { BIN, runCli } from '../helpers/cli-process.ts'
import { freePort } from '../helpers/free-port.ts'
import { type ProcessOutput, watchOutput } from '../helpers/wait-for-line.ts'
import { launchChromium } from './portal/browser.ts'

const START = fileURLToPath(new URL('../../bin/start.ts', import.meta.url))
const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const SEED_IAT = 'YhkBi3pzLiguDCFHW1bs6pvR4a37D91vBx1xCHug'

let home: string
let child: ChildProcess
let output: ProcessOutput
let ports: { gateway: number; devorg: number; pubsub: number; blog: number }
const gatewayUrl = () => `http://127.0.0.1:${ports.gateway}`
const orgUrl = () => `http://127.0.0.1:${ports.devorg}`

function startEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    FORCEGATE_HOME: home,
    FORCEGATE_PORT: String(ports.gateway),
    FORCEGATE_DEVORG_PORT: String(ports.devorg),
    FORCEGATE_PUBSUB_PORT: String(ports.pubsub),
    FORCEGATE_BLOG_PORT: String(ports.blog),
  }
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'forcegate-ports-'))
  // Ports named ahead, as a user picks them: the dev org's callbacks must follow the gateway's.
  ports = {
    gateway: await freePort(),
    devorg: await freePort(),
    pubsub: await freePort(),
    blog: await freePort(),
  }
  child = spawn(process.execPath, [START], { env: startEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  output = watchOutput(child, 'npm start')
  const [, gw, org] = await output.waitForLine(/Gateway: (http:\/\/\S+)\s+Dev org: (http:\/\/\S+)/, 30_000)
  assert.equal(gw, gatewayUrl())
  assert.equal(org, orgUrl())
})
after(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  await rm(home, { recursive: true, force: true })
})

test('npm start on other ports: the README walkthrough, with the store found through FORCEGATE_HOME', async () => {
  assert.equal((await fetch(`${gatewayUrl()}/health`)).status, 200)
  assert.equal((await fetch(`${gatewayUrl()}/orders/1001`)).status, 401)

  const redirect = `http://127.0.0.1:${await freePort()}/callback`
  Object.assign(process.env, { FORCEGATE_INITIAL_ACCESS_TOKEN: SEED_IAT, FORCEGATE_HOME: home })
  try {
    // No --store: the partners command finds npm start's store in FORCEGATE_HOME.
    const registered = await runCli([
      'partners',
      'register',
      '--org',
      orgUrl(),
      '--name',
      'Acme',
      '--redirect-uri',
      redirect,
      '--api',
      'order-status',
      '--plan',
      'standard',
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
        orgUrl(),
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
    const res = await fetch(`${gatewayUrl()}/orders/1001`, {
      headers: { authorization: `Bearer ${loginOutput.stdout().trim()}` },
    })
    assert.equal(res.status, 200, await res.clone().text())
    // The access log names the partner's client app beside the user.
    const logged = await output.waitForLine(/^\{.*"path":"\/orders\/1001".*"status":200.*$/)
    const line = JSON.parse(logged[0]) as { clientId: unknown; principal: unknown }
    assert.equal(line.clientId, credentials.clientId)
    assert.match(String(line.principal), /^005/)
  } finally {
    delete process.env.FORCEGATE_HOME
  }
})

test('npm start on other ports: portal sign-in comes back to the chosen gateway port', async () => {
  const browser = new Browser()
  const start = await browser.get(`${gatewayUrl()}/portal/login`)
  assert.equal(start.status, 303)
  const authorize = new URL(start.location!, start.url)
  assert.equal(authorize.origin, orgUrl())
  assert.equal(authorize.searchParams.get('redirect_uri'), `${gatewayUrl()}/portal/callback`)
  const callback = await authorizeInteractively(browser, authorize.href, USER)
  assert.equal(callback.origin, gatewayUrl())
  assert.equal(callback.pathname, '/portal/callback')
  const signedIn = await browser.follow(await browser.get(callback.href), gatewayUrl())
  assert.equal(signedIn.status, 200, signedIn.body.slice(0, 300))
  assert.match(signedIn.body, /Sign out/)
  // Each page names its icon, so browsers do not ask the API for /favicon.ico on every view.
  assert.match(signedIn.body, /<link rel="icon" href="data:image\/svg\+xml,/)
  // The Opportunities page is on and linked: Pat's deals, queried at the dev org as Pat.
  assert.match(signedIn.body, /<a href="\/portal\/opportunities">Opportunities<\/a>/)
  const deals = await browser.get(`${gatewayUrl()}/portal/opportunities`)
  assert.equal(deals.status, 200, deals.body.slice(0, 300))
  assert.match(deals.body, /Acme Factory Automation/)
  assert.doesNotMatch(deals.body, /Initech Renewal/)
})

test('the archive command npm start prints copies the dev org it started into a folder', async () => {
  const line = (await output.waitForLine(/^\s+npx forcegate (archive opportunities .*)$/m))[1]!
  const args = line.split(/\s+/)
  assert.deepEqual(args.slice(0, 6), [
    'archive',
    'opportunities',
    '--org',
    'devorg',
    '--to',
    './opportunity-archive',
  ])
  const cwd = await mkdtemp(join(tmpdir(), 'forcegate-archive-'))
  try {
    const run = (argv: readonly string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const cli = spawn(process.execPath, [BIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        cli.stdout.on('data', (d: Buffer) => (out += d.toString()))
        cli.stderr.on('data', (d: Buffer) => (out += d.toString()))
        cli.once('close', (code) => resolve({ code, out }))
      })
    const archived = await run(args)
    assert.equal(archived.code, 0, archived.out)
    assert.match(archived.out, /archived 4 of 4 opportunities/)
    const verified = await run(['archive', 'verify', '--to', './opportunity-archive'])
    assert.equal(verified.code, 0, verified.out)
    assert.match(verified.out, /every SHA-256 matches the manifest/)
  } finally {
    await rm(cwd, { recursive: true, force: true })
  }
})

test('portal pages in a browser ask nothing of /favicon.ico, so the access log has no line for it', {
  skip: findChromium() === undefined ? 'no Chromium installed' : false,
}, async () => {
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    const asked: string[] = []
    page.on('request', (request) => asked.push(new URL(request.url()).pathname))
    // Two page views: the icon of the first is asked for (when at all) before the second loads.
    for (let i = 0; i < 2; i++) await page.goto(`${gatewayUrl()}/portal/`, { waitUntil: 'load' })
    await page.close()
    assert.ok(asked.includes('/portal/static/portal.css'), asked.join(' '))
    assert.ok(!asked.includes('/favicon.ico'), asked.join(' '))
    // The access log has the page views and nothing for an icon.
    await output.waitForLine(/^\{.*"path":"\/portal\/static\/portal\.css".*$/)
    assert.doesNotMatch(output.stdout(), /favicon/)
  } finally {
    await browser.close()
  }
})

test('a second npm start on the same ports stops with one line naming the port in use', async () => {
  const second = spawn(process.execPath, [START], { env: startEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  const output = watchOutput(second, 'second npm start')
  const code = await new Promise((r) => second.once('close', r))
  assert.equal(code, 1)
  const stderr = output.stderr().trim()
  assert.equal(stderr.split('\n').length, 1, stderr)
  assert.match(stderr, new RegExp(`127\\.0\\.0\\.1:${ports.devorg} is already in use.*FORCEGATE_DEVORG_PORT`))
})
