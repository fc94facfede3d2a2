import assert from 'node:assert/strict'
import { test } from 'node:test'
import { v1HeaderMaps, v2HeadersAndCookies } from '../../../src/events/header-maps.ts'
import type { GatewayRequest } from '../../../src/http/gateway-request.ts'

function request(rawHeaders: [string, string][]): GatewayRequest {
  const headers = new Map<string, string[]>()
  for (const [name, value] of rawHeaders) {
    const lower = name.toLowerCase()
    headers.set(lower, [...(headers.get(lower) ?? []), value])
  }
  return {
    requestId: 'r',
    method: 'GET',
    path: '/',
    rawQuery: '',
    rawHeaders,
    headers,
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    receivedAt: 0,
    body: undefined,
  }
}

test('payload 1.0: a request carrying only what the gateway owns has null header maps', () => {
  const maps = v1HeaderMaps(
    request([
      ['X-Forcegate-User-Id', '005'],
      ['Cookie', 'forcegate-session=s; __Host-forcegate-login=l'],
    ]),
  )
  assert.deepEqual(maps, { headers: null, multiValueHeaders: null })
})

test('payload 1.0: a Cookie header left with only the gateway cookies disappears from both maps', () => {
  const maps = v1HeaderMaps(
    request([
      ['Cookie', 'a=1'],
      ['cookie', 'forcegate-session=s'],
      ['Accept', '*/*'],
    ]),
  )
  assert.deepEqual(maps.headers, { Cookie: 'a=1', Accept: '*/*' })
  assert.deepEqual(maps.multiValueHeaders, { Cookie: ['a=1'], Accept: ['*/*'] })
})

test('payload 2.0: the gateway cookies leave no empty cookies array behind', () => {
  const { headers, cookies } = v2HeadersAndCookies(
    request([
      ['Cookie', 'forcegate-session=s'],
      ['X-Forcegate-Scopes', 'api'],
      ['Accept', '*/*'],
    ]),
  )
  assert.deepEqual(headers, { accept: '*/*' })
  assert.equal(cookies, undefined)
})

test('payload 1.0: many headers, names repeated in any case before and after the sixteenth, __proto__ kept', () => {
  const raw: [string, string][] = [['X-Repeat', 'first']]
  for (let i = 0; i < 20; i++) raw.push([`X-H${i}`, `v${i}`])
  raw.push(['x-REPEAT', 'second'], ['__proto__', 'p'], ['X-H3', 'again'], ['constructor', 'c'])
  const maps = v1HeaderMaps(request(raw))
  const names = ['X-Repeat', ...Array.from({ length: 20 }, (_, i) => `X-H${i}`), '__proto__', 'constructor']
  assert.deepEqual(Object.keys(maps.headers!), names)
  assert.deepEqual(Object.keys(maps.multiValueHeaders!), names)
  assert.equal(maps.headers!['X-Repeat'], 'second')
  assert.deepEqual(maps.multiValueHeaders!['X-Repeat'], ['first', 'second'])
  assert.equal(maps.headers!['X-H3'], 'again')
  assert.deepEqual(maps.multiValueHeaders!['X-H3'], ['v3', 'again'])
  assert.equal(Object.getPrototypeOf(maps.headers), Object.prototype)
  assert.deepEqual(Object.getOwnPropertyDescriptor(maps.headers, '__proto__'), {
    value: 'p',
    writable: true,
    enumerable: true,
    configurable: true,
  })
  assert.deepEqual(maps.multiValueHeaders!.constructor, ['c'])
})
