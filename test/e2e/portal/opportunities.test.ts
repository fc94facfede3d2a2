import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { browserSuite } from '../../helpers/chromium.ts'
import { launchChromium, newContext, salesforceLogin, shot, text } from './browser.ts'
import { type OpportunitiesEnv, startOpportunitiesEnv } from './opportunities-env.ts'

const SPARE_PARTS = '0065g00000Acme2'

browserSuite('the portal Opportunities page in Chromium', { timeout: 180_000 }, () => {
  let env: OpportunitiesEnv
  let browser: Browser
  let context: BrowserContext
  let page: Page

  before(async () => {
    env = await startOpportunitiesEnv()
    browser = await launchChromium()
    context = await newContext(browser)
    page = await context.newPage()
  })

  after(async () => {
    await browser?.close()
    await env?.close()
  })

  it('signs in through the dev org and lists the deals the org shares with the user', async () => {
    await page.goto(`${env.origin}/portal/opportunities`)
    await salesforceLogin(page)
    await page.waitForURL(`${env.origin}/portal/opportunities`)
    assert.equal(await text(page.locator('h1')), 'Opportunities')
    const table = await text(page.locator('table'))
    assert.match(table, /Acme Factory Automation/)
    assert.match(table, /Globex Data Platform/)
    assert.doesNotMatch(table, /Initech Renewal/)
    await shot(page, '20-opportunities')
  })

  it('opens a deal, takes a contract file, lists it, and the org holds exactly its bytes on that deal', async () => {
    assert.equal(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Opportunities' })
        .count(),
      1,
    )
    await page.getByRole('link', { name: 'Acme Spare Parts' }).click()
    // The org names records by their 18-character ids.
    await page.waitForURL(new RegExp(`/portal/opportunities/${SPARE_PARTS}[A-Za-z0-9]{3}$`))
    assert.equal(await text(page.locator('h1')), 'Acme Spare Parts')
    await shot(page, '21-opportunity')
    const bytes = Buffer.from(`%PDF-1.4\n${'Acme spare parts contract\n'.repeat(2000)}`)
    await page.setInputFiles('#contract-file', {
      name: 'spare-parts-contract.pdf',
      mimeType: 'application/pdf',
      buffer: bytes,
    })
    await page.getByRole('button', { name: 'Attach to this Opportunity' }).click()
    await page.waitForURL(new RegExp(`/portal/opportunities/${SPARE_PARTS}[A-Za-z0-9]{3}\\?attached=068`))
    assert.match(await text(page.getByRole('status')), /spare-parts-contract was attached/)
    const row = page.locator('tbody tr', { hasText: 'spare-parts-contract' })
    assert.equal(await row.count(), 1)
    assert.match(await text(row), /pdf/)
    await shot(page, '22-contract-attached')

    const versionId = new URL(page.url()).searchParams.get('attached')!
    assert.equal(await row.getAttribute('data-version'), versionId)
    assert.deepEqual(await env.orgBytes(versionId), bytes)
    const [version] = await env.orgQuery(
      `SELECT ContentDocumentId, FirstPublishLocationId FROM ContentVersion WHERE Id = '${versionId}'`,
    )
    assert.equal(String(version!.FirstPublishLocationId).slice(0, 15), SPARE_PARTS)
    const links = await env.orgQuery(
      `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${String(version!.ContentDocumentId)}'`,
    )
    assert.ok(links.some((l) => String(l.LinkedEntityId).slice(0, 15) === SPARE_PARTS))
  })

  it('a file dropped on the box (a native drag and drop) is attached the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'forcegate-drop-'))
    try {
      const path = join(dir, 'dropped-contract.txt')
      const bytes = Buffer.from('Dropped contract: terms and conditions\n'.repeat(50))
      await writeFile(path, bytes)
      const box = await page.locator('#contract-file').boundingBox()
      assert.ok(box)
      const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
      // What the browser receives from the operating system when a file is dragged onto the page.
      const cdp = await page.context().newCDPSession(page)
      const data = { items: [], files: [path], dragOperationsMask: 1 }
      for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
        await cdp.send('Input.dispatchDragEvent', { type, ...at, data })
      await cdp.detach()
      assert.equal(
        await page.evaluate("document.getElementById('contract-file').files[0]?.name"),
        'dropped-contract.txt',
      )
      await page.getByRole('button', { name: 'Attach to this Opportunity' }).click()
      await page.waitForURL(/\?attached=068/)
      assert.match(await text(page.getByRole('status')), /dropped-contract was attached/)
      const versionId = new URL(page.url()).searchParams.get('attached')!
      assert.deepEqual(await env.orgBytes(versionId), bytes)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a file of another type is refused on the page, saying what the portal accepts', async () => {
    await page.setInputFiles('#contract-file', {
      name: 'tool.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    })
    await page.getByRole('button', { name: 'Attach to this Opportunity' }).click()
    await page.waitForLoadState('domcontentloaded')
    assert.match(
      await text(page.getByRole('alert')),
      /tool\.exe is application\/x-msdownload[\s\S]*Nothing was attached/,
    )
    assert.equal(await page.locator('tbody tr', { hasText: 'tool' }).count(), 0)
  })

  it('is usable on a phone: the list and a deal with its drop box fit the screen', async () => {
    const phone = await newContext(browser, true)
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
      await small.goto(`${env.origin}/portal/opportunities`)
      await fits('23-opportunities-phone')
      await small.goto(`${env.origin}/portal/opportunities/${SPARE_PARTS}`)
      assert.equal(await small.locator('#contract-file').count(), 1)
      await fits('23-opportunity-phone')
    } finally {
      await phone.close()
    }
  })
})
