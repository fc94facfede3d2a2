import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { normalizeTarget } from '../../src/http/normalize-path.ts'
import { Router } from '../../src/http/router.ts'
import { propertyParameters } from './property-runs.ts'

/**
 * The path canonicaliser against its two promises: it is idempotent (a canonical path is its
 * own canonical form, so forwarding it upstream cannot change what was authorized), and the
 * route it picks is the route of the path's decoded form (so no spelling of a path reaches a
 * route the plain spelling would not).
 */

// Literal route segments are unreserved characters only: they are spelled the same decoded or not.
const router = new Router<string>()
for (const [method, template] of [
  ['GET', '/'],
  ['GET', '/admin'],
  ['ANY', '/admin/{id}'],
  ['GET', '/users/{userId}/orders'],
  ['POST', '/users/{userId}/orders'],
  ['GET', '/public'],
  ['GET', '/public/{name}'],
  ['ANY', '/files/{path+}'],
  ['GET', '/v1/{proxy+}'],
] as const) {
  router.add(method, template, template)
}

/** Pieces a hostile client might spell a segment with: escapes, dots, parameters, separators. */
const segmentPiece = fc.constantFrom(
  'admin',
  'users',
  'orders',
  'public',
  'files',
  'v1',
  'a',
  '42',
  '.',
  '..',
  '',
  '%2e',
  '%2E',
  '%2e%2e',
  '.%2E',
  '%61dmin',
  '%41',
  'ADMIN',
  '%2F',
  '%2f',
  '%5C',
  '%00',
  '%25',
  '%2541',
  '%20',
  '%3B',
  ';x',
  '..;x',
  '.;',
  '%C3%A9',
  '%E9',
  '%',
  '%4',
  '%zz',
  '~',
  '-_',
  '!',
  "'",
  '(',
  '@',
  ':',
  '=',
  '+',
  '&',
)

const segment = fc.array(segmentPiece, { minLength: 0, maxLength: 3 }).map((parts) => parts.join(''))

const target = fc
  .tuple(
    fc.array(segment, { minLength: 0, maxLength: 6 }),
    fc.boolean(),
    fc.constantFrom('', '?a=1', '?x=%2F'),
  )
  .map(([segments, trailingSlash, query]) => `/${segments.join('/')}${trailingSlash ? '/' : ''}${query}`)

const method = fc.constantFrom('GET', 'POST', 'DELETE')

/**
 * The reference decoded form: every escape decoded, then RFC 3986 §5.2.4 dot-segment removal
 * and empty segments dropped, on the decoded segments. Undefined when the path cannot be
 * decoded at all (any such path must be refused by the canonicaliser too, see below).
 */
function decodedSegments(path: string): string[] | undefined {
  const out: string[] = []
  const raw = path.split('/').slice(1)
  for (const piece of raw) {
    let decoded: string
    try {
      decoded = decodeURIComponent(piece)
    } catch {
      return undefined
    }
    if (decoded === '..') out.pop()
    else if (decoded !== '.' && decoded !== '') out.push(decoded)
  }
  return out
}

/** The decoded form spelled as a request path the router can read (every segment escaped). */
function spelled(segments: readonly string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`
}

test('canonical paths are their own canonical form', () => {
  fc.assert(
    fc.property(target, (t) => {
      const first = normalizeTarget(t)
      if (!first.ok) return
      const second = normalizeTarget(first.path)
      assert.deepEqual(second, { ok: true, path: first.path, rawQuery: '' }, `target ${t}`)
    }),
    propertyParameters(2000),
  )
})

test('a path routes where its decoded form routes, with the same parameters', () => {
  fc.assert(
    fc.property(target, method, (t, m) => {
      const normalized = normalizeTarget(t)
      if (!normalized.ok) return
      const reference = decodedSegments(normalized.path)
      // Whatever the canonicaliser lets through decodes: escapes it keeps are valid UTF-8.
      assert.ok(reference !== undefined, `${t} was accepted as ${normalized.path}, which does not decode`)
      const decodedOfTarget = decodedSegments(t.split('?')[0]!)
      assert.deepEqual(reference, decodedOfTarget, `${t}: canonical ${normalized.path} decodes differently`)
      const got = router.find(m, normalized.path)
      const expected = router.find(m, spelled(reference))
      assert.deepEqual(
        got && { route: got.value, params: got.pathParameters },
        expected && { route: expected.value, params: expected.pathParameters },
        `${m} ${t} (canonical ${normalized.path})`,
      )
    }),
    propertyParameters(2000),
  )
})

test('what the canonicaliser refuses is a path that smuggles a separator, a control or a bad escape', () => {
  fc.assert(
    fc.property(target, (t) => {
      const normalized = normalizeTarget(t)
      if (normalized.ok) return
      const path = t.split('?')[0]!
      // Judged segment by segment as sent: a refused segment may be climbed out of later.
      const smuggles = path.split('/').some((raw) => {
        let decoded: string
        try {
          decoded = decodeURIComponent(raw)
        } catch {
          return true
        }
        return /[/\\\0]/.test(decoded) || /^\.\.?;/.test(decoded)
      })
      assert.ok(smuggles, `${t} was refused (${normalized.reason}) though its decoded form is plain`)
    }),
    propertyParameters(2000),
  )
})
