import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseUntrustedJson, UntrustedJsonError } from '../../../../src/auth/jwt/untrusted-json.ts'

function kindOf(text: string, maxDepth?: number): string {
  try {
    parseUntrustedJson(text, maxDepth)
    return 'ok'
  } catch (err) {
    assert.ok(err instanceof UntrustedJsonError)
    return err.kind
  }
}

describe('parseUntrustedJson', () => {
  test('parses ordinary JSON', () => {
    assert.deepEqual(parseUntrustedJson('{"a":[1,{"b":"x"}],"c":null}'), { a: [1, { b: 'x' }], c: null })
  })

  test('rejects repeated member names, also when spelled with escapes', () => {
    assert.equal(kindOf('{"a":1,"a":2}'), 'duplicate_member')
    assert.equal(kindOf('{"sub":"alice","\\u0073ub":"admin"}'), 'duplicate_member')
    assert.equal(kindOf('{"x":{"a":1,"b":2,"a":3}}'), 'duplicate_member')
    assert.equal(kindOf('[{"a":1},{"a":1,"a":1}]'), 'duplicate_member')
  })

  test('the same name in sibling or nested objects is not a duplicate', () => {
    assert.equal(kindOf('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}'), 'ok')
  })

  test('string values that look like keys, braces or quotes do not confuse the scan', () => {
    assert.equal(kindOf('{"a":"a","b":["a","a"],"c":"{\\"a\\":1,\\"a\\":2}","d":"\\\\","e":"}"}'), 'ok')
    assert.equal(kindOf('{"k\\"":1,"k":2}'), 'ok')
  })

  test('rejects syntax errors and nesting beyond the limit', () => {
    assert.equal(kindOf('{"a":1,}'), 'syntax')
    assert.equal(kindOf(''), 'syntax')
    assert.equal(kindOf(`${'['.repeat(33)}${']'.repeat(33)}`), 'too_deep')
    assert.equal(kindOf(`${'['.repeat(32)}${']'.repeat(32)}`), 'ok')
    assert.equal(kindOf('{"a":{"b":1}}', 1), 'too_deep')
  })
})
