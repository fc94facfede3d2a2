/**
 * Regenerates docs/portal.png from the example as a user meets it: `npm start` (the dev org,
 * the order-status API, the portal) on its documented ports in a fresh data folder, then, in
 * Chromium, sign in, register an app, approve its contract as the administrator, get a token
 * and call GET /orders/1001 from "try it".
 *
 *   node tools/portal-screenshot.ts            (ports 8080, 4400, 7443 and 8081 must be free)
 *
 * FORCEGATE_PORT and the other variables of npm start move the ports, but the picture then
 * shows them: the README's is taken on 8080.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium, newContext, salesforceLogin } from '../test/e2e/portal/browser.ts'
import { watchOutput } from '../test/helpers/wait-for-line.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = join(ROOT, 'docs', 'portal.png')

const home = await mkdtemp(join(tmpdir(), 'forcegate-screenshot-'))
const child = spawn(process.execPath, [join(ROOT, 'bin', 'start.ts')], {
  env: { ...process.env, FORCEGATE_HOME: home },
  stdio: ['ignore', 'pipe', 'pipe'],
})
const output = watchOutput(child, 'npm start')
try {
  const [, gateway] = await output.waitForLine(/Gateway: (http:\/\/\S+)/, 60_000)
  const browser = await launchChromium()
  try {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${gateway}/portal/login`)
    await salesforceLogin(page)
    await page.goto(`${gateway}/portal/apps/new`)
    await page.fill('#name', 'Order dashboard')
    await page.fill('#redirect-uris', 'https://dashboard.example.com/callback')
    await page.getByRole('button', { name: 'Register' }).click()
    await page.waitForURL(/\/secret$/)
    const clientId = await page.inputValue('#client-id')
    const secret = ((await page.getByTestId('client-secret').textContent()) ?? '').trim()
    // The example's contracts wait for an administrator, which the dev org's partner admin is.
    await page.goto(`${gateway}/portal/admin`)
    await page.getByRole('button', { name: 'Approve order-status' }).click()
    await page.waitForURL(/\/portal\/admin\?done=/)
    await page.goto(`${gateway}/portal/try?app=${encodeURIComponent(clientId)}`)
    await page.fill('#client-secret', secret)
    await page.getByRole('button', { name: 'Get a token' }).click()
    await salesforceLogin(page)
    await page.waitForURL(/\/portal\/try\?app=/)
    await page.fill('#path', '/orders/1001')
    await page.getByRole('button', { name: 'Send the request' }).click()
    await page.waitForURL(/\/portal\/try\/call$/)
    const status = (await page.getByTestId('try-trail-status').textContent())?.trim()
    if (status !== '200') throw new Error(`the example answered ${status}, not 200`)
    await page.setViewportSize({ width: 1200, height: 1500 })
    await page.screenshot({ path: OUT })
    process.stdout.write(`wrote ${OUT}\n`)
  } finally {
    await browser.close()
  }
} finally {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
  await rm(home, { recursive: true, force: true })
}
