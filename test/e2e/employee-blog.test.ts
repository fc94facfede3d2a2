import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import type { DevOrgSeed } from '../../devorg/seed/seed-types.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { browserSuite } from '../helpers/chromium.ts'
import { freePort } from '../helpers/free-port.ts'
import { accessibilityViolations, launchChromium, newContext } from './portal/browser.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'employee-blog')
const JANE = { username: 'jane@forcegate.example.com', password: 'Jane-Developer-1' }
const MODERATOR = { username: 'moderator@forcegate.example.com', password: 'Blog-Moderator-1' }
const NEWHIRE = { username: 'newhire@forcegate.example.com', password: 'New-Employee-1' }
const PARTNER = { username: 'reseller@partner.example.com', password: 'Partner-User-1' }

browserSuite('the employee blog in Chromium', { timeout: 240_000 }, () => {
  let org: DevOrg
  let gateway: Gateway
  let browser: Browser
  let origin: string
  let attacker: Server
  let attackerOrigin: string
  const dbFile = join(tmpdir(), `blog-${randomBytes(6).toString('hex')}.db`)
  const contexts: BrowserContext[] = []

  before(async () => {
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    // The default seed, with the blog app's callback on this test's port.
    const seed = JSON.parse(
      readFileSync(join(ROOT, 'devorg', 'seed', 'default-seed.json'), 'utf8'),
    ) as DevOrgSeed
    const app = seed.connectedApps.find((a) => a.name === 'Employee Blog')!
    app.redirectUris = [`${origin}/portal/callback`]
    app.postLogoutRedirectUris = [`${origin}/portal/signed-out`]
    org = await startDevOrg({ port: 0, seed })
    Object.assign(process.env, {
      FORCEGATE_SF_CLIENT_SECRET: seed.connectedApps.find((a) => a.introspectAll)!.clientSecret,
      FORCEGATE_INITIAL_ACCESS_TOKEN: seed.initialAccessToken,
      FORCEGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      FORCEGATE_BLOG_CLIENT_SECRET: app.clientSecret,
      BLOG_DB: dbFile,
      BLOG_PUBLISH_LIMIT: '3',
    })
    gateway = await startGateway({
      apiFile: join(EXAMPLE, 'openapi.yaml'),
      configFile: join(EXAMPLE, 'forcegate.yaml'),
      port,
      logger: createLogger('silent'),
      configPatch(config) {
        Object.assign(config.salesforce.orgs.devorg!, { issuer: org.issuer, orgId: org.orgId })
        config.partners!.org.url = org.url
        config.partners!.store.path = ':memory:'
        config.portal!.publicOrigin = origin
        config.portal!.sessions.path = ':memory:'
      },
    })
    browser = await launchChromium()
    // Another site on another port: same site for cookies (127.0.0.1), another origin.
    attacker = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(`<!doctype html><form id="f" method="post" action="${origin}/posts">
<input name="csrf" value="${url.searchParams.get('csrf') ?? ''}"><input name="title" value="Forged">
<input name="body" value="Posted from another origin"></form><script>document.getElementById('f').submit()</script>`)
    })
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`
  })
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined)
    await browser?.close()
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()))
    await gateway?.close()
    await org?.close()
    rmSync(dbFile, { force: true })
    rmSync(`${dbFile}-wal`, { force: true })
    rmSync(`${dbFile}-shm`, { force: true })
  })

  async function visitor(): Promise<Page> {
    const context = await newContext(browser)
    contexts.push(context)
    return context.newPage()
  }

  /** Signs in through the portal at the dev org's login page; ends back on this origin. */
  async function signedIn(user: { username: string; password: string }): Promise<Page> {
    const page = await visitor()
    await page.goto(`${origin}/portal/login`)
    await page.waitForURL(/\/interaction\//)
    await page.fill('#username', user.username)
    await page.fill('#password', user.password)
    await page.click('button[type=submit]')
    await page.waitForURL((url) => url.origin === origin || /\/interaction\//.test(url.pathname))
    if (await page.getByRole('button', { name: 'Allow' }).count()) {
      await page.getByRole('button', { name: 'Allow' }).click()
    }
    await page.waitForURL((url) => url.origin === origin)
    return page
  }

  async function publish(page: Page, title: string, body: string): Promise<string> {
    await page.goto(`${origin}/write`)
    await page.fill('#title', title)
    await page.fill('#body', body)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/posts\/\d+$/)
    return page.url()
  }

  let janePost = ''

  test('anonymous readers list and read posts without signing in; pages carry a CSP and no script', async () => {
    const page = await visitor()
    const res = await page.goto(`${origin}/`)
    assert.equal(res?.status(), 200)
    const csp = res?.headers()['content-security-policy'] ?? ''
    assert.match(csp, /default-src 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal(await page.locator('script').count(), 0)
    assert.equal(await page.getByRole('link', { name: 'Employees: sign in' }).count(), 1)
    assert.deepEqual(await accessibilityViolations(page), [])
  })

  test('an employee publishes; the author comes from the session even when the form is tampered with', async () => {
    const page = await signedIn(JANE)
    await page.goto(`${origin}/write`)
    // Whatever a tampered form claims, the author is who signed in.
    await page.evaluate(`(() => {
      const f = document.querySelector('form')
      for (const [n, v] of [['author', 'moderator@forcegate.example.com'], ['authorId', '005000000000000AAA'], ['authorName', 'Morgan Moderator']]) {
        const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i)
      }
    })()`)
    await page.fill('#title', 'Why we <b>test</b> in browsers')
    await page.fill('#body', 'Because escaping is by construction.\n\n<script>alert(1)</script>')
    await page.click('button[type=submit]')
    await page.waitForURL(/\/posts\/\d+$/)
    janePost = page.url()
    assert.equal((await page.locator('.author').textContent())?.trim(), JANE.username)
    assert.equal(await page.locator('h1').textContent(), 'Why we <b>test</b> in browsers')
    assert.deepEqual(await accessibilityViolations(page), [], 'the post page')
    assert.equal(await page.locator('script').count(), 0, 'posted markup is text, never markup')
    const reader = await visitor()
    await reader.goto(`${origin}/`)
    assert.equal(await reader.getByRole('link', { name: 'Why we <b>test</b> in browsers' }).count(), 1)
    await reader.goto(janePost)
    assert.equal((await reader.locator('.author').textContent())?.trim(), JANE.username)
  })

  test('an author edits their own post; another employee cannot through the author route', async () => {
    assert.ok(janePost, 'the publishing test ran first')
    const jane = await signedIn(JANE)
    await jane.goto(`${janePost}/manage`)
    await jane.fill('#body', 'Edited by its author.')
    await jane.getByRole('button', { name: 'Save', exact: true }).click()
    await jane.waitForURL(janePost)
    assert.match((await jane.locator('article').textContent()) ?? '', /Edited by its author\./)
    const newhire = await signedIn(NEWHIRE)
    await newhire.goto(`${janePost}/manage`)
    const csrf = await newhire.locator('input[name=csrf]').first().inputValue()
    const refused = await newhire.context().request.post(`${janePost}/edit`, {
      form: { csrf, title: 'Taken over', body: 'x' },
      headers: { origin },
    })
    assert.equal(refused.status(), 403)
    await jane.goto(janePost)
    assert.doesNotMatch((await jane.locator('h1').textContent()) ?? '', /Taken over/)
  })

  test('a partner user who signs in is refused publishing with a clear page', async () => {
    const page = await signedIn(PARTNER)
    const res = await page.goto(`${origin}/write`)
    assert.equal(res?.status(), 403)
    assert.match((await page.locator('#refusal').textContent()) ?? '', /publishing is for Acme employees/)
    assert.deepEqual(await accessibilityViolations(page), [], 'the refusal page')
    const direct = await page.context().request.post(`${origin}/posts`, {
      form: { title: 'Partner post', body: 'x' },
      headers: { origin },
    })
    assert.equal(direct.status(), 403)
  })

  test('an employee without Blog Moderator cannot delete another author\u2019s post; a moderator can', async () => {
    assert.ok(janePost, 'the publishing test ran first')
    const newhire = await signedIn(NEWHIRE)
    await newhire.goto(`${janePost}/manage`)
    await newhire.getByRole('button', { name: 'Delete as moderator' }).click()
    await newhire.waitForLoadState()
    assert.match((await newhire.locator('#refusal').textContent()) ?? '', /blog moderators/)
    // Nor through the author's own route: the handler checks authorship.
    const csrf = await newhire
      .goto(`${janePost}/manage`)
      .then(() => newhire.locator('input[name=csrf]').first().inputValue())
    const own = await newhire
      .context()
      .request.post(`${janePost}/delete`, { form: { csrf }, headers: { origin } })
    assert.equal(own.status(), 403)
    assert.equal((await (await visitor()).goto(janePost))?.status(), 200, 'still there')

    const moderator = await signedIn(MODERATOR)
    await moderator.goto(`${janePost}/manage`)
    await moderator.getByRole('button', { name: 'Delete as moderator' }).click()
    await moderator.waitForURL(`${origin}/`)
    assert.equal((await (await visitor()).goto(janePost))?.status(), 404)
    await moderator.goto(`${origin}/moderation/audit`)
    const log = (await moderator.locator('tbody').textContent()) ?? ''
    assert.match(log, new RegExp(`${JANE.username}\\s*publish`))
    assert.match(log, new RegExp(`${MODERATOR.username}\\s*delete`))
    assert.match(log, new RegExp(`${JANE.username}\\s*edit`))
  })

  test('posts without the form token, or from another origin, are refused', async () => {
    const page = await signedIn(JANE)
    const request = page.context().request
    const noToken = await request.post(`${origin}/posts`, {
      form: { title: 'No token', body: 'x' },
      headers: { origin },
    })
    assert.equal(noToken.status(), 403)
    const badToken = await request.post(`${origin}/posts`, {
      form: { title: 'Bad token', body: 'x', csrf: `${Date.now()}.AAAA` },
      headers: { origin },
    })
    assert.equal(badToken.status(), 403)
    // A real token of this user, carried by another origin's auto-submitting form.
    await page.goto(`${origin}/write`)
    const csrf = await page.locator('input[name=csrf]').inputValue()
    const answer = page.waitForResponse(`${origin}/posts`)
    await page.goto(`${attackerOrigin}/?csrf=${encodeURIComponent(csrf)}`)
    assert.equal((await answer).status(), 403)
    const home = await (await visitor()).goto(`${origin}/`)
    assert.doesNotMatch((await home?.text()) ?? '', /Forged|No token|Bad token/)
  })

  test('publishing is rate limited per author', async () => {
    const page = await signedIn(MODERATOR)
    for (let i = 1; i <= 3; i++) await publish(page, `Note ${i}`, 'Short.')
    await page.goto(`${origin}/write`)
    await page.fill('#title', 'One too many')
    await page.fill('#body', 'x')
    const answer = page.waitForResponse(`${origin}/posts`)
    await page.click('button[type=submit]')
    assert.equal((await answer).status(), 429)
  })

  test('the posts file is private to its owner', () => {
    assert.equal(statSync(dbFile).mode & 0o777, 0o600)
  })
})
