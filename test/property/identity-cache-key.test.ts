import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseIdentitySources, readIdentityValues } from '../../src/auth/identity-source.ts'
import { resultCacheKey } from '../../src/auth/lambda-authorizer/result-cache.ts'
import { makeView } from '../unit/auth/lambda-authorizer/request-view-fixture.ts'
import { propertyParameters } from './property-runs.ts'

/**
 * The authorizer result cache key: two requests share a cached result exactly when the
 * authorizer, the stage and every identity value are the same. A collision would hand one
 * caller's policy to another.
 */

// Characters a naive key would use as separators or lose in encoding: commas, quotes,
// backslashes, NUL, brackets, and lone surrogates (which UTF-8 would turn into U+FFFD).
const tricky = fc.constantFrom(
  ',',
  '"',
  '\\',
  '\u0000',
  '[',
  ']',
  ':',
  '|',
  ' ',
  '\uD800',
  '\uDC00',
  '\uFFFD',
  'a',
  'b',
)
const value = fc.string({ unit: fc.oneof(tricky, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 8 })
const tuple = fc.record({
  authorizerId: fc.oneof(fc.constantFrom('auth', 'auth,prod', 'a'), value),
  stage: fc.oneof(fc.constantFrom('prod', '$default', 'prod,'), value),
  values: fc.array(value, { maxLength: 4 }),
})
type Tuple = typeof tuple extends fc.Arbitrary<infer T> ? T : never

/** Every way of moving separators across element boundaries of one tuple, as a second tuple. */
const regrouped = tuple.chain((t) => {
  const flat = [t.authorizerId, t.stage, ...t.values].join(',')
  return fc.array(fc.nat(flat.length), { maxLength: 5 }).map((cuts) => {
    const points = [...new Set(cuts)].sort((a, b) => a - b)
    const parts: string[] = []
    let from = 0
    for (const p of points) {
      parts.push(flat.slice(from, p))
      from = p
    }
    parts.push(flat.slice(from))
    const [authorizerId = '', stage = '', ...values] = parts
    return [t, { authorizerId, stage, values }] as const
  })
})

const keyOf = (t: Tuple) => resultCacheKey(t.authorizerId, t.stage, t.values)
const same = (a: Tuple, b: Tuple) =>
  a.authorizerId === b.authorizerId &&
  a.stage === b.stage &&
  a.values.length === b.values.length &&
  a.values.every((v, i) => v === b.values[i])

test('two identity tuples share a cache key only when they are the same tuple', () => {
  fc.assert(
    fc.property(fc.oneof(fc.tuple(tuple, tuple), regrouped), ([a, b]) => {
      assert.equal(keyOf(a) === keyOf(b), same(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    }),
    propertyParameters(3000),
  )
})

test('values that differ only in a lone surrogate keep their own keys', () => {
  // UTF-8 encodes both lone surrogates as U+FFFD; the key must not.
  assert.notEqual(resultCacheKey('a', 'prod', ['\uD800']), resultCacheKey('a', 'prod', ['\uDC00']))
  assert.notEqual(resultCacheKey('a', 'prod', ['\uD800']), resultCacheKey('a', 'prod', ['\uFFFD']))
  assert.notEqual(resultCacheKey('a', 'prod', ['a,b']), resultCacheKey('a', 'prod', ['a', 'b']))
})

// Header values as Node hands them over: latin1 text, commas included.
const headerValue = fc.string({
  unit: fc.constantFrom('a', 'b', ',', ' ', '"', '=', ';', 'é'),
  minLength: 1,
  maxLength: 6,
})
const request = fc.record({
  token: fc.array(headerValue, { minLength: 1, maxLength: 2 }),
  tenant: fc.array(headerValue, { minLength: 1, maxLength: 2 }),
  query: fc.array(fc.tuple(fc.constantFrom('q', 'Q', 'q,'), headerValue), { maxLength: 3 }),
})
type Request = typeof request extends fc.Arbitrary<infer R> ? R : never

function viewOf(r: Request) {
  return makeView({
    headers: [
      ...r.token.map((v) => ['Authorization', v] as const),
      ...r.tenant.map((v) => ['X-Tenant', v] as const),
    ],
    rawQuery: new URLSearchParams(r.query).toString(),
  })
}

for (const [syntax, expressions] of [
  ['rest', 'method.request.header.Authorization,method.request.header.X-Tenant,method.request.querystring.q'],
  ['http', ['$request.header.Authorization', '$request.header.X-Tenant', '$request.querystring.q']],
] as const) {
  const sources = parseIdentitySources(expressions, syntax)

  test(`${syntax}: requests share a key exactly when the authorizer would see the same identity`, () => {
    fc.assert(
      fc.property(request, request, (a, b) => {
        const va = readIdentityValues(sources, viewOf(a), syntax)
        const vb = readIdentityValues(sources, viewOf(b), syntax)
        if (!va.ok || !vb.ok) return
        const equalValues =
          va.values.length === vb.values.length && va.values.every((v, i) => v === vb.values[i])
        const equalKeys =
          resultCacheKey('auth', 'prod', va.values) === resultCacheKey('auth', 'prod', vb.values)
        assert.equal(equalKeys, equalValues, `${JSON.stringify(va.values)} vs ${JSON.stringify(vb.values)}`)
      }),
      propertyParameters(1000),
    )
  })
}

test('http: a repeated header and its comma-joined spelling are one identity, as the authorizer sees it', () => {
  // HTTP APIs join repeated values with commas in `identitySource` and in the headers of the
  // event, so the authorizer cannot tell these requests apart and one cached answer serves both.
  const sources = parseIdentitySources(['$request.header.X-Tenant'], 'http')
  const twice = readIdentityValues(
    sources,
    makeView({
      headers: [
        ['X-Tenant', 'a'],
        ['X-Tenant', 'b'],
      ],
    }),
    'http',
  )
  const joined = readIdentityValues(sources, makeView({ headers: [['X-Tenant', 'a,b']] }), 'http')
  assert.deepEqual(twice, joined)
})
