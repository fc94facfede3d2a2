import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser } from '../devorg/oauth/browser.ts'
import {
  ACME_FACTORY,
  type OpportunitiesEnv,
  PARTNER,
  SALES,
  startOpportunitiesEnv,
} from '../e2e/portal/opportunities-env.ts'

let env: OpportunitiesEnv
let partner: Browser
let sales: Browser

before(async () => {
  env = await startOpportunitiesEnv({
    enabled: true,
    maxBytes: 4096,
    contentTypes: ['application/pdf', 'text/plain'],
  })
  partner = await env.signIn(PARTNER)
  sales = await env.signIn(SALES)
})
after(async () => {
  await env?.close()
})

function csrfOf(body: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(body)
  assert.ok(m, 'the page carries a CSRF field')
  return m[1]!
}

async function page(browser: Browser, path: string) {
  return browser.get(`${env.origin}${path}`)
}

/** Posts the page's form as a browser does: the CSRF field, then the file. */
async function upload(
  browser: Browser,
  id: string,
  file: { name: string; type: string; bytes: Buffer },
  options: { csrf?: string | null; origin?: string; cookie?: string } = {},
) {
  const form = new FormData()
  const csrf =
    options.csrf === undefined ? csrfOf((await page(browser, '/portal/opportunities')).body) : options.csrf
  if (csrf !== null) form.append('csrf', csrf)
  form.append('file', new Blob([file.bytes], { type: file.type }), file.name)
  const res = await fetch(`${env.origin}/portal/opportunities/${id}/contracts`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: browser.jar.header(),
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    },
    body: form,
  })
  return { status: res.status, location: res.headers.get('location'), body: await res.text() }
}

async function linksOf(id: string): Promise<string[]> {
  const rows = await env.orgQuery(
    `SELECT ContentDocumentId, ContentDocument.Title FROM ContentDocumentLink WHERE LinkedEntityId = '${id}'`,
  )
  return rows.map((r) => String((r.ContentDocument as { Title: string }).Title))
}

test("sign-in asks for the org's REST API (the api scope) beside the OpenID scopes", async () => {
  assert.equal(await env.loginScope(), 'openid profile email api')
})

test('each user sees the deals the org shares with them, queried with their own token', async () => {
  const mine = await page(partner, '/portal/opportunities')
  assert.equal(mine.status, 200)
  assert.match(mine.body, /Acme Factory Automation/)
  assert.match(mine.body, /Acme Spare Parts/)
  assert.match(mine.body, /Globex Data Platform[\s\S]*?shared with you/)
  assert.doesNotMatch(mine.body, /Initech Renewal/)
  assert.match(mine.body, /<a href="\/portal\/opportunities">Opportunities<\/a>/)

  const theirs = await page(sales, '/portal/opportunities')
  assert.equal(theirs.status, 200)
  assert.match(theirs.body, /Initech Renewal/)
  assert.doesNotMatch(theirs.body, /Acme Factory Automation/)
})

test("another user's deal is not found for them, and the org refuses their file on it", async () => {
  const shown = await page(sales, `/portal/opportunities/${ACME_FACTORY}`)
  assert.equal(shown.status, 404)
  assert.match(shown.body, /Opportunity not found/)
  assert.doesNotMatch(shown.body, /Acme Factory Automation/)

  const before = await linksOf(ACME_FACTORY)
  const refused = await upload(sales, ACME_FACTORY, {
    name: 'sneaky.pdf',
    type: 'application/pdf',
    bytes: Buffer.from('%PDF-1.4 not yours'),
  })
  assert.equal(refused.status, 403)
  assert.match(refused.body, /INSUFFICIENT_ACCESS_OR_READONLY/)
  assert.match(refused.body, /Nothing was attached|not allowed|refused/i)
  assert.deepEqual(await linksOf(ACME_FACTORY), before)
})

test('the owner attaches a contract: streamed to the org as them, then listed on the deal', async () => {
  const bytes = Buffer.from('%PDF-1.4\nContract for Acme <Factory> & "friends"\n')
  const sent = await upload(partner, ACME_FACTORY, {
    name: 'acme-contract.pdf',
    type: 'application/pdf',
    bytes,
  })
  assert.equal(sent.status, 303, sent.body.slice(0, 400))
  const location = new URL(sent.location!, env.origin)
  assert.equal(location.pathname, `/portal/opportunities/${ACME_FACTORY}`)
  const versionId = location.searchParams.get('attached')!
  assert.match(versionId, /^068/)

  const shown = await page(partner, location.pathname + location.search)
  assert.equal(shown.status, 200)
  assert.match(shown.body, /acme-contract was attached to this Opportunity/)
  assert.match(shown.body, new RegExp(`data-version="${versionId}"`))
  assert.deepEqual(await env.orgBytes(versionId), bytes)
  const [version] = await env.orgQuery(
    `SELECT FirstPublishLocationId, OwnerId FROM ContentVersion WHERE Id = '${versionId}'`,
  )
  assert.equal(String(version!.FirstPublishLocationId).slice(0, 15), ACME_FACTORY)
})

test('an "attached" notice names only a version the org lists on the deal', async () => {
  const shown = await page(partner, `/portal/opportunities/${ACME_FACTORY}?attached=068000000000001AAA`)
  assert.equal(shown.status, 200)
  assert.doesNotMatch(shown.body, /was attached/)
})

test('limits: a file over maxBytes is 413, another type 415, no file 400; nothing attached', async () => {
  const before = await linksOf('0065g00000Acme2')
  const big = await upload(partner, '0065g00000Acme2', {
    name: 'big.pdf',
    type: 'application/pdf',
    bytes: Buffer.alloc(5000, 1),
  })
  assert.equal(big.status, 413)
  assert.match(big.body, /larger than the 4,096 bytes/)
  const typed = await upload(partner, '0065g00000Acme2', {
    name: 'x.exe',
    type: 'application/x-msdownload',
    bytes: Buffer.from('MZ'),
  })
  assert.equal(typed.status, 415)
  assert.match(
    typed.body,
    /x\.exe is application\/x-msdownload; the portal accepts application\/pdf, text\/plain/,
  )
  const none = await upload(partner, '0065g00000Acme2', {
    name: '',
    type: 'application/octet-stream',
    bytes: Buffer.alloc(0),
  })
  assert.equal(none.status, 400)
  assert.match(none.body, /Choose a file/)
  assert.deepEqual(await linksOf('0065g00000Acme2'), before)
})

test('forms without the session CSRF token or from another origin are refused before anything is sent', async () => {
  const file = { name: 'forged.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF forged') }
  assert.equal((await upload(partner, '0065g00000Acme2', file, { csrf: null })).status, 403)
  assert.equal((await upload(partner, '0065g00000Acme2', file, { csrf: 'x'.repeat(43) })).status, 403)
  const cross = await upload(partner, '0065g00000Acme2', file, { origin: 'http://evil.example' })
  assert.equal(cross.status, 403)
  assert.match(cross.body, /This form could not be accepted/)
  assert.ok(!(await linksOf('0065g00000Acme2')).includes('forged'))
})

test('ids that are not Salesforce ids never reach a query', async () => {
  for (const id of ['0065g00000Acme1.x', '0065g00000Acme1-', 'x'.repeat(19), '0065g0000']) {
    const shown = await page(partner, `/portal/opportunities/${id}`)
    assert.equal(shown.status, 404, id)
    assert.match(shown.body, /Opportunity not found/)
  }
  // The router's own refusal for quotes and spaces, whatever is appended.
  const quoted = await page(partner, `/portal/opportunities/${ACME_FACTORY}'%20OR%20Name%20!=%20'`)
  assert.equal(quoted.status, 404)
})

test('a session that ended before the file arrived attaches nothing and asks to sign in again', async () => {
  const browser = await env.signIn(PARTNER)
  const signedIn = await page(browser, '/portal/opportunities')
  const csrf = csrfOf(signedIn.body)
  const cookie = browser.jar.header()
  // Signed out in another tab while this page was open.
  const out = await browser.post(`${env.origin}/portal/logout`, { csrf })
  assert.equal(out.status, 303)
  const before = await linksOf('0065g00000Acme2')
  const file = { name: 'after-logout.pdf', type: 'application/pdf', bytes: Buffer.alloc(3000, 7) }
  const sent = await upload(browser, '0065g00000Acme2', file, { csrf, cookie })
  assert.equal(sent.status, 401)
  assert.match(sent.body, /Your session has ended/)
  assert.match(sent.body, /Sign in with Salesforce/)
  assert.deepEqual(await linksOf('0065g00000Acme2'), before)
})

test('a token the org no longer accepts ends the session: sign in again, nothing attached', async () => {
  const browser = await env.signIn(SALES)
  const csrf = csrfOf((await page(browser, '/portal/opportunities')).body)
  const initech = '0065g00000Init1'
  // A day later at the org: the session's access token has expired there (the portal's has not).
  env.advanceOrgClock(24 * 3600 * 1000)
  const sent = await upload(
    browser,
    initech,
    { name: 'late.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF late') },
    { csrf },
  )
  assert.equal(sent.status, 401)
  assert.match(sent.body, /Your session has ended/)
  assert.ok(!(await linksOf(initech)).includes('late'))
  const again = await page(browser, '/portal/opportunities')
  assert.equal(again.status, 401)
  assert.match(again.body, /href="\/portal\/login\?return_to=%2Fportal%2Fopportunities"/)
})
