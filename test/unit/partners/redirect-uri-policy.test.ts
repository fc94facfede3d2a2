import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkRedirectUris, isLoopbackHttp } from '../../../src/partners/redirect-uri-policy.ts'

describe('checkRedirectUris', () => {
  it('accepts https anywhere and http on loopback only', () => {
    assert.deepEqual(
      checkRedirectUris([
        'https://partner.example/cb',
        'https://partner.example:8443/cb?x=1',
        'http://127.0.0.1:9000/cb',
        'http://[::1]/cb',
        'http://localhost:3000/cb',
      ]),
      [],
    )
  })

  it('names the position and the reason of each bad URI', () => {
    const problems = checkRedirectUris([
      'https://ok.example/cb',
      'http://partner.example/cb',
      'https://partner.example/cb#frag',
      'javascript:alert(1)',
      'https://user@partner.example/cb',
      'https://*.partner.example/cb',
      '/relative',
      'myapp://cb',
    ])
    assert.deepEqual(
      problems.map((p) => p.index),
      [1, 2, 3, 4, 5, 6, 7],
    )
    assert.match(problems[0]!.reason, /https/)
    assert.match(problems[1]!.reason, /fragment/)
    assert.match(problems[3]!.reason, /user info/)
    assert.match(problems[4]!.reason, /wildcard/)
  })

  it('bounds the count and the length', () => {
    assert.match(checkRedirectUris([])[0]!.reason, /at least one/)
    assert.match(checkRedirectUris(Array(11).fill('https://a.example/'))[0]!.reason, /at most 10/)
    assert.match(checkRedirectUris([`https://a.example/${'x'.repeat(2000)}`])[0]!.reason, /longer/)
  })

  it('recognises loopback http', () => {
    assert.equal(isLoopbackHttp('http://127.0.0.1/cb'), true)
    assert.equal(isLoopbackHttp('https://127.0.0.1/cb'), false)
    assert.equal(isLoopbackHttp('http://127.0.0.1.evil.example/cb'), false)
  })
})
