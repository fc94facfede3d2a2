import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeReturnTo } from '../../../src/portal/return-to.ts'

describe('safeReturnTo', () => {
  it('keeps paths on this origin, with their query', () => {
    assert.equal(safeReturnTo('/portal/apps?x=1', '/portal/'), '/portal/apps?x=1')
    assert.equal(safeReturnTo('/portal/../portal/apps', '/portal/'), '/portal/apps')
  })

  it('replaces every cross-origin or scheme-changing value with the fallback', () => {
    const hostile = [
      '//evil.com',
      '/\\evil.com',
      '/\\tevil.com',
      '/\tevil.com',
      '/\n/evil.com',
      'https://evil.com',
      'https:evil.com',
      'javascript:alert(1)',
      '%2F%2Fevil.com',
      '/%2F/evil.com',
      '/%5Cevil.com',
      'evil.com',
      '',
      undefined,
      `/${'a'.repeat(3000)}`,
    ]
    for (const value of hostile) assert.equal(safeReturnTo(value, '/portal/'), '/portal/', String(value))
  })
})
