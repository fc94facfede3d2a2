import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { OpportunityRow } from '../../../src/portal/opportunity-soql.ts'
import {
  opportunitiesPage,
  opportunityPage,
  opportunityRefusedPage,
} from '../../../src/portal/pages/opportunity-pages.ts'

const viewer = {
  displayName: 'Pat <b>Partner</b>',
  username: 'admin@partner.example.com',
  csrfToken: 'tok"en',
  isAdmin: false,
  opportunities: true,
  userId: '0055g00000PartnAAA',
}
const EVIL = `<script>alert("x")</script>'&`

const deal: OpportunityRow = {
  id: '0065g00000Acme1AAA',
  name: EVIL,
  stage: `<img src=x onerror=alert(1)>`,
  closeDate: '2026-09-30',
  amount: 1234.5,
  account: `"><svg onload=alert(1)>`,
  ownerId: '0055g00000Partn',
}

describe('Opportunity pages', () => {
  it('escapes every value that comes from the org', () => {
    for (const markup of [
      opportunitiesPage(viewer, [deal]).markup,
      opportunityPage(
        viewer,
        deal,
        [
          {
            documentId: '069A',
            title: EVIL,
            extension: '<x>',
            size: 10,
            versionId: '"x',
            createdDate: '<d>',
          },
        ],
        { maxBytes: 1024, contentTypes: ['application/pdf'] },
        { kind: 'refused', message: EVIL, errorCode: '<CODE>' },
      ).markup,
    ]) {
      assert.doesNotMatch(markup, /<script>|<img src=x|<svg|<x>|<d>|<CODE>|"x"/)
      assert.match(markup, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&#39;&amp;/)
      assert.match(markup, /Pat &lt;b&gt;Partner&lt;\/b&gt;/)
    }
  })

  it('links each deal by its id and tells own deals from shared ones', () => {
    const shared = { ...deal, id: '0065g00000Glbx1', name: 'Globex', ownerId: '0055g00000Sales' }
    const markup = opportunitiesPage(viewer, [deal, shared]).markup
    assert.match(markup, /href="\/portal\/opportunities\/0065g00000Acme1AAA"/)
    assert.match(markup, /<td data-label="Owner">yours<\/td>/)
    assert.match(markup, /Globex[\s\S]*shared with you/)
    assert.match(markup, /<a href="\/portal\/opportunities">Opportunities<\/a>/)
  })

  it('posts the file as multipart with the CSRF field first, and states the limits', () => {
    const markup = opportunityPage(viewer, deal, [], {
      maxBytes: 8 * 1024 * 1024,
      contentTypes: ['application/pdf', 'text/plain'],
    }).markup
    const form =
      /<form method="post" enctype="multipart\/form-data" action="\/portal\/opportunities\/0065g00000Acme1AAA\/contracts">([\s\S]*?)<\/form>/.exec(
        markup,
      )
    assert.ok(form)
    assert.ok(form[1]!.indexOf('name="csrf" value="tok&quot;en"') < form[1]!.indexOf('type="file"'))
    assert.match(form[1]!, /Up to 8\.0 MiB; application\/pdf, text\/plain\./)
    assert.match(markup, /No files are attached/)
  })

  it("says a deal is not found or refused in the org's words", () => {
    const missing = opportunityRefusedPage(viewer, 404, undefined).markup
    assert.match(missing, /Opportunity not found/)
    const refused = opportunityRefusedPage(viewer, 403, 'INSUFFICIENT_ACCESS_OR_READONLY').markup
    assert.match(refused, /Salesforce answered <code>INSUFFICIENT_ACCESS_OR_READONLY<\/code>/)
  })
})
