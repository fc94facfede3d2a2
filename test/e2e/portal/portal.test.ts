import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { browserSuite } from '../../helpers/chromium.ts'
import { launchChromium, newContext, salesforceLogin, shot, text } from './browser.ts'
import { type PortalEnv, startPortalEnv } from './portal-env.ts'

browserSuite('developer portal in Chromium', { timeout: 180_000 }, () => {
  let env: PortalEnv
  let browser: Browser
  let context: BrowserContext
  let page: Page

  before(async () => {
    env = await startPortalEnv()
    browser = await launchChromium()
    context = await newContext(browser)
    page = await context.newPage()
  })

  after(async () => {
    await browser?.close()
    await env?.close()
  })

  it('signs in with Salesforce into a fresh session behind an HttpOnly, SameSite=Lax cookie', async () => {
    // A session id planted before login (fixation) must not survive it.
    await page.goto(`${env.origin}/portal/`)
    assert.equal(await page.title(), 'Welcome · forcegate developer portal')
    await shot(page, '01-landing')
    // A cookie naming no live session reads as an ended session, with a way back in.
    await context.addCookies([{ name: 'forcegate-session', value: 'planted-by-attacker', url: env.origin }])
    const ended = await page.goto(`${env.origin}/portal/`)
    assert.equal(ended?.status(), 401)
    assert.equal(await page.title(), 'Your session has ended · forcegate developer portal')
    await shot(page, '01-session-expired')
    await page.getByRole('link', { name: 'Sign in with Salesforce' }).first().click()
    await salesforceLogin(page)
    await page.waitForURL(`${env.origin}/portal/apps`)
    assert.match(await text(page.locator('h1')), /My apps/)
    await shot(page, '02-my-apps-empty')
    const cookie = (await context.cookies(env.origin)).find((c) => c.name === 'forcegate-session')
    assert.ok(cookie)
    assert.notEqual(cookie.value, 'planted-by-attacker')
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(cookie.secure, false) // loopback http: no Secure, no __Host- prefix
    assert.equal(cookie.path, '/')
  })

  let clientId = ''
  let secret = ''

  it('registers an app and shows its secret once', async () => {
    await page.getByRole('link', { name: 'Register an app' }).first().click()
    await page.fill('#name', 'Acme <Orders> Sync')
    await page.fill('#redirect-uris', 'https://partner.example.com/callback')
    await page.check('input[name=api][value=order-status]')
    await shot(page, '03-register')
    await page.getByRole('button', { name: 'Register' }).click()
    await page.waitForURL(`${env.origin}/portal/apps`)
    assert.match(await text(page.locator('h1')), /App registered: Acme <Orders> Sync/)
    clientId = await page.inputValue('#client-id')
    secret = (await text(page.getByTestId('client-secret'))).trim()
    assert.match(secret, /^[A-Za-z0-9]{20,}$/)
    await shot(page, '04-secret-once')
    await page.getByRole('link', { name: /go to the app/ }).click()
    await page.waitForURL(`${env.origin}/portal/apps/${clientId}`)
    assert.doesNotMatch(await page.content(), new RegExp(secret))
    assert.match(await text(page.locator('main')), /order-status[\s\S]*pending/)
    await shot(page, '05-app')
  })

  it('gets a token through the code flow and calls the API from "try it": 403 until the contract is approved', async () => {
    await page.goto(`${env.origin}/portal/try?app=${clientId}`)
    await page.fill('#client-secret', secret)
    await shot(page, '06-try-it')
    await page.getByRole('button', { name: 'Get a token' }).click()
    await salesforceLogin(page)
    await page.waitForURL(new RegExp(`/portal/try\\?app=${clientId}`))
    assert.match(await text(page.getByRole('status')), /token for this app is ready/)
    assert.equal(await page.inputValue('#path'), '/orders')
    await page.getByRole('button', { name: 'Send GET' }).click()
    await page.waitForURL(`${env.origin}/portal/try/call`)
    const request = await text(page.getByTestId('try-request'))
    assert.match(request, new RegExp(`GET ${env.gateway.url}/orders`))
    assert.match(request, /authorization: Bearer .{6}…\(redacted\)/)
    assert.match(await text(page.getByTestId('try-response')), /^HTTP 403/)
    assert.match(await text(page.getByTestId('try-trail')), /contract/)
    await shot(page, '07-try-refused-pending-contract')
  })

  it('approves the contract as an admin; the same call then goes through', async () => {
    await page.goto(`${env.origin}/portal/admin`)
    await page.getByRole('button', { name: 'Approve order-status' }).click()
    await page.waitForURL(/\/portal\/admin\?done=/)
    assert.match(await text(page.getByRole('status')), /Approved order-status/)
    await shot(page, '08-admin')
    await page.goto(`${env.origin}/portal/try?app=${clientId}`)
    await page.getByRole('button', { name: 'Send GET' }).click()
    await page.waitForURL(`${env.origin}/portal/try/call`)
    assert.match(await text(page.getByTestId('try-response')), /^HTTP 200/)
    assert.match(await text(page.getByTestId('try-response')), /"orderId":"1001"/)
    await shot(page, '09-try-result')
  })

  it('rotates the secret: a new client and secret, shown once', async () => {
    await page.goto(`${env.origin}/portal/apps/${clientId}`)
    await page.getByRole('button', { name: 'Rotate the secret' }).click()
    await page.waitForURL(`${env.origin}/portal/apps/${clientId}/rotate`)
    const newId = await page.inputValue('#client-id')
    const newSecret = (await text(page.getByTestId('client-secret'))).trim()
    assert.notEqual(newId, clientId)
    assert.notEqual(newSecret, secret)
    assert.match(await text(page.locator('main')), /previous client .* was removed at the org/)
    await shot(page, '10-rotated')
    clientId = newId
  })

  it('is usable on a phone', async () => {
    const phone = await context
      .browser()!
      .newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
    try {
      await phone.addCookies(await context.cookies(env.origin))
      const small = await phone.newPage()
      await small.goto(`${env.origin}/portal/apps/${clientId}`)
      const width = await small.evaluate('document.documentElement.scrollWidth')
      assert.ok(typeof width === 'number' && width <= 390, `no horizontal scrolling (scrollWidth ${width})`)
      await shot(small, '11-app-phone')
    } finally {
      await phone.close()
    }
  })

  it('refuses a state-changing form without the CSRF token', async () => {
    const answer = await context.request.post(`${env.origin}/portal/apps/${clientId}/delete`, {
      form: { other: 'x' },
      maxRedirects: 0,
    })
    assert.equal(answer.status(), 403)
    assert.match(await answer.text(), /This form could not be accepted/)
    const wrong = await context.request.post(`${env.origin}/portal/apps/${clientId}/delete`, {
      form: { csrf: 'guessed' },
      maxRedirects: 0,
    })
    assert.equal(wrong.status(), 403)
    await page.goto(`${env.origin}/portal/apps/${clientId}`)
    assert.match(await text(page.locator('h1')), /Acme <Orders> Sync/) // still there
    await page.setContent(
      (await wrong.text()).replace('/portal/static/portal.css', `${env.origin}/portal/static/portal.css`),
    )
    await shot(page, '12-csrf-refused')
  })

  it('refuses a cross-site GET of logout; signs out here and at Salesforce with a POST', async () => {
    const get = await context.request.get(`${env.origin}/portal/logout`, { maxRedirects: 0 })
    assert.equal(get.status(), 405)
    await page.goto(`${env.origin}/portal/apps`)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/services\/auth\/idp\/oidc\/logout/, { waitUntil: 'domcontentloaded' })
    await page.getByRole('button', { name: 'Log Out' }).click()
    await page.waitForURL(`${env.origin}/portal/signed-out`)
    assert.match(await text(page.locator('h1')), /You are signed out/)
    await shot(page, '13-signed-out')
    // The Salesforce session is over too: signing in asks for the password again.
    await page.goto(`${env.origin}/portal/apps`)
    await page.waitForURL(/\/interaction\//, { waitUntil: 'domcontentloaded' })
    assert.equal(await page.locator('#username').count(), 1)
  })
})
