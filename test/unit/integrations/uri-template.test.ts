import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compileUriTemplate } from '../../../src/integrations/http/uri-template.ts'

/** Each segment of a parameter encoded on its own: a value can never add a segment, a query or a fragment. */
const encodedPerSegment = (value: string): string =>
  value
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/')

test('a path parameter is encoded per segment, whatever it holds', () => {
  const template = compileUriTemplate('http://upstream.test:8081/v1/{proxy}')
  const values = [
    'api/items',
    "plain-._!~*'()/x",
    'a b/c',
    '../admin',
    '%2e%2e/x',
    'a%2Fb',
    'q?x=1',
    'frag#x',
    'semi;colon',
    'é/ü',
    'a\r\nb',
    '',
  ]
  for (const value of values) {
    assert.equal(template.path({ proxy: value }, ''), `/v1/${encodedPerSegment(value)}`, value)
  }
})

test("the template's query comes first, then the client's, joined by &", () => {
  assert.equal(compileUriTemplate('http://u.test/a?x=1').path(null, ''), '/a?x=1')
  assert.equal(compileUriTemplate('http://u.test/a?x=1').path(null, 'y=2'), '/a?x=1&y=2')
  assert.equal(compileUriTemplate('http://u.test/a').path(null, 'y=2'), '/a?y=2')
  assert.equal(compileUriTemplate('http://u.test').path(null, ''), '/')
})
