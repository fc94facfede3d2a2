import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Router } from '../../../src/http/router.ts'

function router(): Router<string> {
  const r = new Router<string>()
  r.add('GET', '/orders', 'list')
  r.add('GET', '/orders/{orderId}', 'get')
  r.add('GET', '/orders/recent', 'recent')
  r.add('ANY', '/orders/{orderId}', 'any-order')
  r.add('ANY', '/{proxy+}', 'catch-all')
  r.add('GET', '/', 'root')
  return r
}

test('a literal segment beats a parameter, which beats a greedy variable', () => {
  const r = router()
  assert.equal(r.find('GET', '/orders/recent')?.value, 'recent')
  assert.equal(r.find('GET', '/orders/42')?.value, 'get')
  assert.deepEqual(r.find('GET', '/orders/42')?.pathParameters, { orderId: '42' })
  assert.equal(r.find('GET', '/orders/42')?.resourcePath, '/orders/{orderId}')
})

test('an explicit method beats ANY on the same resource', () => {
  const r = router()
  assert.equal(r.find('DELETE', '/orders/42')?.value, 'any-order')
  assert.equal(r.find('GET', '/orders/42')?.value, 'get')
})

test('a greedy variable takes one or more segments, without a leading slash', () => {
  const r = router()
  const m = r.find('POST', '/produce/fruit/apple')
  assert.equal(m?.value, 'catch-all')
  assert.equal(m?.resourcePath, '/{proxy+}')
  assert.deepEqual(m?.pathParameters, { proxy: 'produce/fruit/apple' })
})

test('the root resource matches only "/", and a greedy variable never matches zero segments', () => {
  const r = new Router<string>()
  r.add('ANY', '/{proxy+}', 'greedy')
  assert.equal(r.find('GET', '/'), undefined)
  r.add('GET', '/', 'root')
  assert.equal(r.find('GET', '/')?.value, 'root')
})

test('backtracks to a less specific branch when the specific one has no such method', () => {
  const r = router()
  // /orders has only GET; POST /orders falls through to the greedy ANY route.
  assert.equal(r.find('POST', '/orders')?.value, 'catch-all')
})

test('a trailing slash matches the same resource; matching is case-sensitive', () => {
  const r = router()
  assert.equal(r.find('GET', '/orders/')?.value, 'list')
  assert.equal(r.find('GET', '/ORDERS')?.value, 'catch-all')
})

test('no match without a greedy route or a $default fallback', () => {
  const r = new Router<string>()
  r.add('GET', '/a', 'a')
  assert.equal(r.find('GET', '/b'), undefined)
  assert.equal(r.find('POST', '/a'), undefined)
  r.setFallback('default')
  assert.equal(r.find('POST', '/a')?.value, 'default')
})

test('a duplicate route and a greedy variable that is not last are refused', () => {
  const r = router()
  assert.throws(() => r.add('GET', '/orders', 'again'), /defined twice/)
  assert.throws(() => r.add('GET', '/{x+}/more', 'bad'), /last segment/)
  assert.throws(() => r.add('GET', '/orders/{id}/items', 'bad'), /conflicts/)
})
