import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cookiePolicyFor } from '../../../src/portal/cookie-policy.ts'
import { parseCookies, serializeCookie } from '../../../src/portal/cookies.ts'

describe('cookie policy', () => {
  it('uses __Host- names and Secure on https', () => {
    assert.deepEqual(cookiePolicyFor('https://portal.example.com'), {
      sessionName: '__Host-forcegate-session',
      loginName: '__Host-forcegate-login',
      secure: true,
    })
  })

  it('drops the prefix and Secure on loopback http, where browsers refuse Secure cookies', () => {
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9000']) {
      assert.deepEqual(cookiePolicyFor(origin), {
        sessionName: 'forcegate-session',
        loginName: 'forcegate-login',
        secure: false,
      })
    }
  })

  it('refuses http on any other host, and values that are not an origin', () => {
    assert.throws(() => cookiePolicyFor('http://portal.example.com'), /https/)
    assert.throws(() => cookiePolicyFor('https://portal.example.com/portal'), /origin/)
  })
})

describe('cookies', () => {
  it('serializes HttpOnly, Path=/, SameSite=Lax, no Domain, Secure when asked', () => {
    assert.equal(
      serializeCookie('__Host-forcegate-session', 'abc_-1', { secure: true }),
      '__Host-forcegate-session=abc_-1; Path=/; HttpOnly; SameSite=Lax; Secure',
    )
    assert.equal(
      serializeCookie('forcegate-login', 'v', { secure: false, maxAge: 600 }),
      'forcegate-login=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=600',
    )
    assert.equal(
      serializeCookie('a', '', { secure: false, maxAge: 0 }),
      'a=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    )
  })

  it('refuses names and values that would inject attributes', () => {
    assert.throws(() => serializeCookie('a;b', 'v', { secure: false }))
    assert.throws(() => serializeCookie('a', 'v; Domain=evil', { secure: false }))
    assert.throws(() => serializeCookie('a', 'v\r\nSet-Cookie: x', { secure: false }))
  })

  it('parses the Cookie header, first value wins, quotes removed', () => {
    const jar = parseCookies('a=1; b="two"; a=3; junk; =x')
    assert.equal(jar.get('a'), '1')
    assert.equal(jar.get('b'), 'two')
    assert.equal(jar.size, 2)
    assert.equal(parseCookies(['a=1', 'c=2']).get('c'), '2')
    assert.equal(parseCookies(undefined).size, 0)
  })
})
