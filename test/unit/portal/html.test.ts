import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { escapeText, html, isHtml } from '../../../src/portal/html.ts'

describe('html template', () => {
  it('escapes every interpolated string, in content and attributes', () => {
    const name = `<script>alert("x")</script>'&\``
    const out = html`<p title="${name}">${name}</p>`.markup
    assert.equal(
      out,
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;</p>',
    )
  })

  it('keeps nested templates as they are, and renders arrays item by item', () => {
    const items = ['a<b', 'c']
    const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${html`<hr>`}`.markup
    assert.equal(out, '<ul><li>a&lt;b</li><li>c</li></ul><hr>')
  })

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    assert.equal(html`${null}${undefined}${false}${0}${42}`.markup, '042')
  })

  it('treats look-alike objects from data as text, not markup', () => {
    const forged = { markup: '<img src=x onerror=alert(1)>' }
    assert.equal(isHtml(forged), false)
    assert.equal(html`${forged}`.markup, escapeText(JSON.stringify(forged)))
    assert.doesNotMatch(html`${forged}`.markup, /<img/)
  })
})
