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

  it('registers an app and shows its secret once; a reload registers nothing', async () => {
    await page.getByRole('link', { name: 'Register an app' }).first().click()
    // The only API offered is ticked already.
    assert.equal(await page.isChecked('input[name=api][value=order-status]'), true)
    await page.fill('#name', 'Acme <Orders> Sync')
    await page.fill('#redirect-uris', 'https://partner.example.com/callback')
    await shot(page, '03-register')
    await page.getByRole('button', { name: 'Register' }).click()
    await page.waitForURL(/\/portal\/apps\/[^/]+\/secret$/)
    assert.match(await text(page.locator('h1')), /App registered: Acme <Orders> Sync/)
    clientId = await page.inputValue('#client-id')
    secret = (await text(page.getByTestId('client-secret'))).trim()
    assert.match(secret, /^[A-Za-z0-9]{20,}$/)
    await shot(page, '04-secret-once')
    // Reloading "App registered" shows the app, not a second registration nor the secret again.
    await page.reload()
    await page.waitForURL(`${env.origin}/portal/apps/${clientId}?secret=shown`)
    assert.doesNotMatch(await page.content(), new RegExp(secret))
    assert.equal((await env.partners.list()).length, 1)
    assert.match(await text(page.locator('main')), /order-status[\s\S]*pending/)
    await shot(page, '05-app')
  })

  it('refuses a second app of the same name, keeping what was entered', async () => {
    await page.goto(`${env.origin}/portal/apps/new`)
    await page.fill('#name', 'acme <orders> sync')
    await page.fill('#redirect-uris', 'https://partner.example.com/other')
    await page.getByRole('button', { name: 'Register' }).click()
    assert.match(await text(page.getByRole('alert')), /already have an app named/)
    assert.equal(await page.inputValue('#name'), 'acme <orders> sync')
    assert.equal(await page.inputValue('#redirect-uris'), 'https://partner.example.com/other')
    assert.equal(await page.isChecked('input[name=api][value=order-status]'), true)
    await shot(page, '05-register-duplicate-name')
    assert.equal((await env.partners.list()).length, 1)
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
    // The API's routes, from its document, to pick from.
    const routes = await text(page.locator('ul.routes'))
    assert.match(routes, /GET \/orders\/\{orderId\}/)
    assert.match(routes, /POST \/orders\/events/)
    await page.getByRole('button', { name: 'Send the request' }).click()
    await page.waitForURL(`${env.origin}/portal/try/call`)
    const request = await text(page.getByTestId('try-request'))
    assert.match(request, new RegExp(`GET ${env.gateway.url}/orders`))
    assert.match(request, /authorization: Bearer .{6}…\(redacted\)/)
    assert.match(await text(page.getByTestId('try-response')), /^HTTP 403/)
    assert.match(await text(page.getByTestId('try-trail')), /contract/)
    assert.equal(await text(page.getByTestId('try-trail-status')), '403')
    await shot(page, '07-try-refused-pending-contract')
  })

  it('approves the contract as an admin; the same call then goes through', async () => {
    await page.goto(`${env.origin}/portal/admin`)
    await page.getByRole('button', { name: 'Approve order-status' }).click()
    await page.waitForURL(/\/portal\/admin\?done=/)
    assert.match(await text(page.getByRole('status')), /Approved order-status/)
    await shot(page, '08-admin')
    // Every contract row has an action: an active one can move to another plan.
    assert.equal(await page.getByRole('button', { name: 'Change the plan of order-status' }).count(), 1)
    await page.goto(`${env.origin}/portal/try?app=${clientId}`)
    await page.getByRole('button', { name: 'Send the request' }).click()
    await page.waitForURL(`${env.origin}/portal/try/call`)
    assert.match(await text(page.getByTestId('try-response')), /^HTTP 200/)
    assert.match(await text(page.getByTestId('try-response')), /"orderId": "1001"/) // pretty-printed
    assert.equal(await text(page.getByTestId('try-trail-status')), '200')
    await shot(page, '09-try-result')
  })

  it('picks a route from the list; the trail agrees with the real status of a 404 from the function', async () => {
    await page.goto(`${env.origin}/portal/try?app=${clientId}`)
    await page.getByRole('link', { name: 'GET /orders/{orderId}' }).first().click()
    assert.equal(await page.inputValue('#path'), '/orders/{orderId}')
    assert.equal(await page.inputValue('#method'), 'GET')
    await page.fill('#path', '/orders/9999')
    await page.getByRole('button', { name: 'Send the request' }).click()
    await page.waitForURL(`${env.origin}/portal/try/call`)
    assert.match(await text(page.getByTestId('try-response')), /^HTTP 404/)
    assert.equal(await text(page.getByTestId('try-trail-status')), '404')
    const trail = await text(page.getByTestId('try-trail'))
    assert.match(trail, /allowed by the gateway: aws_proxy answered 404/)
    assert.doesNotMatch(trail, /would reach/)
    await shot(page, '09-try-not-found')
  })

  it('sends a POST with a JSON body from the editor', async () => {
    await page.goto(`${env.origin}/portal/try?app=${clientId}`)
    await page.selectOption('#method', 'POST')
    await page.fill('#path', '/orders')
    await page.fill('#body', '{"orderId":"1002"}')
    await shot(page, '09-try-post')
    await page.getByRole('button', { name: 'Send the request' }).click()
    await page.waitForURL(`${env.origin}/portal/try/call`)
    const request = await text(page.getByTestId('try-request'))
    assert.match(request, new RegExp(`POST ${env.gateway.url}/orders`))
    assert.match(request, /content-type: application\/json/)
    assert.match(request, /"orderId": "1002"/)
    const status = await text(page.getByTestId('try-trail-status'))
    assert.match(await text(page.getByTestId('try-response')), new RegExp(`^HTTP ${status}`))
  })

  it('rotates the secret: a new client and secret, shown once', async () => {
    await page.goto(`${env.origin}/portal/apps/${clientId}`)
    await page.getByRole('button', { name: 'Rotate the secret' }).click()
    await page.waitForURL(/\/portal\/apps\/[^/]+\/secret$/)
    const newId = await page.inputValue('#client-id')
    const newSecret = (await text(page.getByTestId('client-secret'))).trim()
    assert.notEqual(newId, clientId)
    assert.notEqual(newSecret, secret)
    assert.match(await text(page.locator('main')), /previous client .* was removed at the org/)
    await shot(page, '10-rotated')
    clientId = newId
    secret = newSecret
  })

  it('is usable on a phone: app, try it and its result fit the screen', async () => {
    const phone = await newContext(context.browser()!, true)
    try {
      await phone.addCookies(await context.cookies(env.origin))
      const small = await phone.newPage()
      const fits = async (name: string) => {
        const width = await small.evaluate('document.documentElement.scrollWidth')
        assert.ok(
          typeof width === 'number' && width <= 390,
          `${name}: no horizontal scrolling (scrollWidth ${width})`,
        )
        await shot(small, name)
      }
      await small.goto(`${env.origin}/portal/apps/${clientId}`)
      await fits('11-app-phone')
      await small.goto(`${env.origin}/portal/try?app=${clientId}`)
      await fits('11-try-phone')
      // The rotated client needs a token of its own, got on the desktop: the portal session is shared.
      await page.goto(`${env.origin}/portal/try?app=${clientId}`)
      await page.fill('#client-secret', secret)
      await page.getByRole('button', { name: 'Get a token' }).click()
      await salesforceLogin(page)
      await page.waitForURL(new RegExp(`/portal/try\\?app=${clientId}`))
      await small.reload()
      await small.getByRole('button', { name: 'Send the request' }).click()
      await small.waitForURL(`${env.origin}/portal/try/call`)
      await fits('11-try-result-phone')
    } finally {
      await phone.close()
    }
  })

  it('asks before deleting an app; "No, keep it" keeps it', async () => {
    await page.goto(`${env.origin}/portal/apps/${clientId}`)
    await page.getByRole('link', { name: 'Delete this app…' }).click()
    await page.waitForURL(`${env.origin}/portal/apps/${clientId}/delete`)
    assert.match(await text(page.getByRole('alert')), /cannot be undone/)
    await shot(page, '11-delete-confirm')
    await page.getByRole('link', { name: 'No, keep it' }).click()
    await page.waitForURL(`${env.origin}/portal/apps/${clientId}`)
    assert.equal((await env.partners.list()).length, 1)
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
