import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { loadSeed } from '../../devorg/seed/load-seed.ts'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { BIN } from '../helpers/cli-process.ts'
import { freePort } from '../helpers/free-port.ts'
import { watchOutput } from '../helpers/wait-for-line.ts'

let org: DevOrg
let redirect: string
before(async () => {
  // The command listens on its redirect URI, so the port is chosen now and registered with the app.
  redirect = `http://127.0.0.1:${await freePort()}/callback`
  const seed = loadSeed(undefined)
  seed.connectedApps.find((a) => a.name === 'Order Portal')!.redirectUris.push(redirect)
  org = await startDevOrg({ port: 0, seed })
})
after(() => org.close())

test('forcegate login runs the code flow with PKCE and prints the access token', async () => {
  const app = org.seed.connectedApps.find((a) => a.name === 'Order Portal')!
  const child = spawn(
    process.execPath,
    [BIN, 'login', '--org', org.issuer, '--client-id', app.clientId, '--redirect-uri', redirect],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCEGATE_CLIENT_SECRET: app.clientSecret } },
  )
  const output = watchOutput(child, 'forcegate login')
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
  const url = (await output.waitForLine(/(http:\/\/\S+\/services\/oauth2\/authorize\S+)/))[1]!
  await output.waitForLine(/^Waiting for /)
  assert.match(url, /code_challenge_method=S256/)
  const callback = await authorizeInteractively(new Browser(), url, {
    username: 'admin@partner.example.com',
    password: 'Partner-Admin-1',
  })
  assert.equal(`${callback.origin}${callback.pathname}`, redirect)
  const page = await fetch(callback)
  assert.equal(page.status, 200)
  assert.equal(await exited, 0, output.stderr())
  assert.match(output.stdout().trim(), /^00D[A-Za-z0-9]{12}!\S+$/)
})
