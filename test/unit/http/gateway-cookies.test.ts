import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isGatewayCookie, withoutGatewayCookies } from '../../../src/http/gateway-cookies.ts'
import { cookiePolicyFor } from '../../../src/portal/cookie-policy.ts'

describe('gateway cookies', () => {
  test('every name the portal sets, on https and on loopback http, is a gateway cookie', () => {
    for (const origin of ['https://portal.example', 'http://127.0.0.1:8080', 'http://localhost:3000']) {
      const policy = cookiePolicyFor(origin)
      assert.ok(isGatewayCookie(policy.sessionName), `${origin} ${policy.sessionName}`)
      assert.ok(isGatewayCookie(policy.loginName), `${origin} ${policy.loginName}`)
    }
  })

  test('names are matched exactly, as the portal reads them', () => {
    for (const name of ['Forcegate-Session', 'forcegate-session2', '__Secure-forcegate-session', 'session'])
      assert.equal(isGatewayCookie(name), false, name)
  })

  test("the gateway's pairs are removed, the others kept in order", () => {
    assert.equal(
      withoutGatewayCookies('a=1; forcegate-session=x;__Host-forcegate-login=y ;b="2"; forcegate-login'),
      'a=1; b="2"',
    )
    assert.equal(withoutGatewayCookies(' forcegate-session = x ; a=1'), 'a=1')
    assert.equal(withoutGatewayCookies('forcegate-session=x; __Host-forcegate-session=y'), undefined)
  })

  test('a value naming none of them is returned as it came', () => {
    assert.equal(withoutGatewayCookies('a=1;b=2'), 'a=1;b=2')
    assert.equal(withoutGatewayCookies('a=forcegate-session'), 'a=forcegate-session')
    assert.equal(withoutGatewayCookies(''), '')
  })
})
