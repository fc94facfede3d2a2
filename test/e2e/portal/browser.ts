import assert from 'node:assert/strict'
import { join } from 'node:path'
import axe from 'axe-core'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { chromiumPath } from '../../helpers/chromium.ts'
import { PARTNER, SCREENSHOTS } from './portal-env.ts'

/** An installed Chromium, never a downloaded browser; every request off loopback is refused. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  })
}

export async function newContext(browser: Browser, phone = false): Promise<BrowserContext> {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1200, height: 900 } },
  )
  context.setDefaultTimeout(15_000)
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname
    return host === '127.0.0.1' ? route.continue() : route.abort()
  })
  return context
}

/** Saves a screenshot of a portal page, after checking it against WCAG 2.1 A/AA with axe. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
  assert.deepEqual(await accessibilityViolations(page), [], `accessibility of ${name}`)
}

export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the pages' CSP does not govern.
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axe.source)
  return (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[]
}

/** Logs in on the dev org's page and allows access when asked; ends where the flow returns. */
export async function salesforceLogin(page: Page, decision: 'allow' | 'deny' = 'allow'): Promise<void> {
  await page.waitForURL(/\/interaction\//, { waitUntil: 'domcontentloaded' })
  if (await page.locator('#username').count()) {
    await page.fill('#username', PARTNER.username)
    await page.fill('#password', PARTNER.password)
    await page.click('button[type=submit]')
    await page.waitForURL(
      (url) => url.pathname.startsWith('/interaction/') || url.pathname.startsWith('/portal/'),
      {
        waitUntil: 'domcontentloaded',
      },
    )
  }
  if (await page.getByRole('button', { name: 'Allow' }).count()) {
    await page.getByRole('button', { name: decision === 'allow' ? 'Allow' : 'Deny' }).click()
    await page.waitForURL(/\/portal\//, { waitUntil: 'domcontentloaded' })
  }
}

/** The text of an element as the DOM holds it. */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim()
}

/**
 * Signs in at the dev org with the context's own cookie jar (shared with its pages), following
 * redirects by hand, and stops before the portal's callback: returns the callback URL (code,
 * state, iss) for tests that tamper with or replay it. Playwright does not let a route stop a
 * navigation that arrives by redirect, so the browser itself cannot be paused there.
 */
export async function captureCallback(context: BrowserContext, origin: string): Promise<URL> {
  const http = context.request
  let next = new URL(`${origin}/portal/login`)
  for (let hop = 0; hop < 12; hop++) {
    if (next.origin === origin && next.pathname === '/portal/callback') return next
    let answer = await http.get(next.href, { maxRedirects: 0 })
    if (/^\/interaction\/[^/]+$/.test(next.pathname)) {
      const page = await answer.text()
      answer = page.includes('name="username"')
        ? await http.post(`${next.href}/login`, { form: PARTNER, maxRedirects: 0 })
        : await http.post(`${next.href}/approve`, { form: { decision: 'allow' }, maxRedirects: 0 })
    }
    const location = answer.headers().location
    if (location === undefined) throw new Error(`no redirect from ${next.pathname}: ${answer.status()}`)
    next = new URL(location, next)
  }
  throw new Error('too many redirects before the callback')
}
