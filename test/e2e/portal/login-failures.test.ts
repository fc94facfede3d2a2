import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { createPortal } from '../../../src/portal/portal.ts'
import { SqliteSessionStore } from '../../../src/portal/sqlite-session-store.ts'
import { browserSuite } from '../../helpers/chromium.ts'
import { captureCallback, launchChromium, newContext, salesforceLogin, shot, text } from './browser.ts'
import { type PortalEnv, startPortalEnv } from './portal-env.ts'

browserSuite('portal sign-in failures in Chromium', { timeout: 180_000 }, () => {
  let env: PortalEnv
  let browser: Browser

  before(async () => {
    env = await startPortalEnv()
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await env?.close()
  })

  const sessionCookie = async (context: Awaited<ReturnType<typeof newContext>>) =>
    (await context.cookies(env.origin)).find((c) => c.name === 'forcegate-session')

  it('refuses a tampered state without calling the token endpoint; the real callback works once', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      const callback = await captureCallback(context, env.origin)
      assert.ok(callback.searchParams.get('code'))
      assert.equal(callback.searchParams.get('iss'), env.org.issuer) // RFC 9207, checked by the client
      const tokenCalls = env.org.counters.token
      const tampered = new URL(callback)
      tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`)
      const refused = await page.goto(tampered.href)
      assert.equal(refused?.status(), 400)
      assert.equal(refused?.headers()['referrer-policy'], 'no-referrer')
      assert.equal(await text(page.locator('h1')), 'This sign-in could not be completed')
      await shot(page, '14-login-invalid')
      assert.equal(await sessionCookie(context), undefined)
      assert.equal(env.org.counters.token, tokenCalls)

      await page.goto(callback.href)
      await page.waitForURL(`${env.origin}/portal/apps`)
      assert.ok(await sessionCookie(context))
      const replay = await page.goto(callback.href)
      assert.equal(replay?.status(), 400)
    } finally {
      await context.close()
    }
  })

  it('refuses a callback brought by another browser (login CSRF)', async () => {
    const victim = await newContext(browser)
    const attacker = await newContext(browser)
    try {
      const callback = await captureCallback(attacker, env.origin)
      const page = await victim.newPage()
      const answer = await page.goto(callback.href)
      assert.equal(answer?.status(), 400)
      assert.equal(await sessionCookie(victim), undefined)
    } finally {
      await victim.close()
      await attacker.close()
    }
  })

  it('refuses an authorization response from another issuer (RFC 9207) before the token endpoint', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      const callback = await captureCallback(context, env.origin)
      const tokenCalls = env.org.counters.token
      callback.searchParams.set('iss', 'https://evil.example.com')
      const answer = await page.goto(callback.href)
      assert.equal(answer?.status(), 400)
      assert.equal(env.org.counters.token, tokenCalls)
      assert.equal(await sessionCookie(context), undefined)
    } finally {
      await context.close()
    }
  })

  it('shows a clear page when the user denies access at Salesforce', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await page.goto(`${env.origin}/portal/login`)
      await salesforceLogin(page, 'deny')
      assert.equal(await text(page.locator('h1')), 'Sign-in was not allowed')
      assert.match(await text(page.getByRole('alert')), /denied/)
      await shot(page, '15-login-denied')
      assert.equal(await sessionCookie(context), undefined)
    } finally {
      await context.close()
    }
  })

  it('shows a clear page when the org is unreachable at the callback', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      const callback = await captureCallback(context, env.origin)
      env.org.faults.unavailable = true
      const answer = await page.goto(callback.href)
      assert.equal(answer?.status(), 503)
      assert.equal(answer?.headers()['retry-after'], '30')
      assert.equal(await text(page.locator('h1')), 'Salesforce cannot be reached right now')
      await shot(page, '16-org-unreachable')
    } finally {
      env.org.faults.unavailable = false
      await context.close()
    }
  })

  it('answers 503 when sign-in cannot even start because the org is down', async () => {
    const sessions = new SqliteSessionStore({ path: ':memory:' })
    try {
      const portal = createPortal({
        org: { issuer: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 's' },
        publicOrigin: 'http://127.0.0.1:8080',
        partners: env.partners,
        sessions,
        admins: [],
        gatewayUrl: env.gateway.url,
      })
      const { createServer } = await import('node:http')
      const server = createServer((req, res) => void portal.handle(req, res))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        const { port } = server.address() as { port: number }
        const answer = await fetch(`http://127.0.0.1:${port}/portal/login`, { redirect: 'manual' })
        assert.equal(answer.status, 503)
        assert.match(await answer.text(), /Salesforce cannot be reached right now/)
      } finally {
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    } finally {
      await sessions.close()
    }
  })
})
