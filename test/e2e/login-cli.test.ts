import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { BIN } from '../helpers/cli-process.ts'

let org: DevOrg
before(async () => {
  org = await startDevOrg({ port: 0 })
})
after(() => org.close())

test('forcegate login runs the code flow with PKCE and prints the access token', async () => {
  const app = org.seed.connectedApps.find((a) => a.name === 'Order Portal')!
  const child = spawn(
    process.execPath,
    [
      BIN,
      'login',
      '--org',
      org.issuer,
      '--client-id',
      app.clientId,
      '--redirect-uri',
      'http://127.0.0.1:8765/callback',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCEGATE_CLIENT_SECRET: app.clientSecret } },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no authorization URL: ${stderr}`)), 15_000)
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      const found = /(http:\/\/\S+\/services\/oauth2\/authorize\S+)/.exec(stderr)?.[1]
      if (found !== undefined && stderr.includes('Waiting for')) {
        clearTimeout(timer)
        resolve(found)
      }
    })
  })
  assert.match(url, /code_challenge_method=S256/)
  const callback = await authorizeInteractively(new Browser(), url, {
    username: 'admin@partner.example.com',
    password: 'Partner-Admin-1',
  })
  assert.equal(callback.origin, 'http://127.0.0.1:8765')
  const page = await fetch(callback)
  assert.equal(page.status, 200)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  assert.equal(code, 0, stderr)
  assert.match(stdout.trim(), /^00D[A-Za-z0-9]{12}!\S+$/)
})
