import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { normalizeTarget } from '../../../src/http/normalize-path.ts'

/**
 * The canonical request path: one spelling per path, so that what is authorized is what is
 * routed and forwarded. Each vector is a request target and either the canonical path and raw
 * query it becomes, or `"refused"` (answered with 400 before routing).
 */
interface PathVector {
  readonly target: string
  readonly expected: { readonly path: string; readonly rawQuery: string } | 'refused'
  readonly note?: string
}

const vectors = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
) as readonly PathVector[]

test('vectors cover both canonical forms and refusals', () => {
  assert.ok(vectors.some((v) => v.expected === 'refused'))
  assert.ok(vectors.some((v) => v.expected !== 'refused'))
  assert.equal(new Set(vectors.map((v) => v.target)).size, vectors.length, 'duplicate target')
})

for (const vector of vectors) {
  test(`${JSON.stringify(vector.target)} -> ${vector.expected === 'refused' ? 'refused' : vector.expected.path}`, () => {
    const result = normalizeTarget(vector.target)
    if (vector.expected === 'refused') {
      assert.equal(result.ok, false, `accepted as ${result.ok ? result.path : ''}`)
      return
    }
    assert.deepEqual(result, { ok: true, ...vector.expected })
    // Canonical means a fixed point: normalizing the result again changes nothing.
    assert.deepEqual(normalizeTarget(vector.expected.path), {
      ok: true,
      path: vector.expected.path,
      rawQuery: '',
    })
  })
}
