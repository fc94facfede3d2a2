import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeReturnTo } from '../../../src/portal/return-to.ts'

const SCOPE = { origin: 'https://portal.example.com', basePath: '/portal', fallback: '/portal/' }
const back = (value: string | undefined) => safeReturnTo(value, SCOPE)

describe('safeReturnTo', () => {
  it('keeps paths under the portal on its origin, normalised, with their query', () => {
    assert.equal(back('/portal/apps?x=1'), '/portal/apps?x=1')
    assert.equal(back('/portal/../portal/apps'), '/portal/apps')
    assert.equal(back('/portal/./apps/%2e/x'), '/portal/apps/x')
    assert.equal(back('/portal'), '/portal')
    assert.equal(back('https://portal.example.com/portal/apps#top'), '/portal/apps')
  })

  it('replaces every cross-origin, scheme-changing or out-of-portal value with the fallback', () => {
    const hostile = [
      '//evil.com',
      '/.//evil.example/phish',
      '/x/..//evil.example/phish',
      '/%2e//evil.example/phish',
      '/portal/..//evil.example/phish',
      '/portal/%2e%2e//evil.example/phish',
      '/portal/.%2E//evil.example/phish',
      '/\\evil.com',
      '/\\tevil.com',
      '/\tevil.com',
      '/\t/evil.com',
      '/\n/evil.com',
      'https://evil.com',
      'https://portal.example.com@evil.com/portal/',
      'https://user@portal.example.com/portal/',
      'http://portal.example.com/portal/',
      'https:evil.com',
      'javascript:alert(1)',
      'data:text/html,hi',
      '%2F%2Fevil.com',
      '/%2F/evil.com',
      '/%5Cevil.com',
      '/orders',
      '/portalx',
      'evil.com',
      '',
      undefined,
      `/portal/${'a'.repeat(3000)}`,
    ]
    for (const value of hostile) assert.equal(back(value), '/portal/', JSON.stringify(value))
  })
})
