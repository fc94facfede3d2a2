/**
 * Message vectors for the field reader every OpenAPI reader uses, and for the source document
 * under it: a field as written → the exact message with file, line, JSON pointer and what was
 * expected (a missing field at the line of the object it is missing from).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FieldReader, type JsonObject } from '../../../src/config/field-reader.ts'
import { loadSourceDocument, parseSourceText } from '../../../src/config/source-document.ts'
import { ConfigError, ConfigErrors } from '../../../src/errors/config-error.ts'

const FILE = 'api.yaml'

/** Reads `x` of the object at `/o` (line 2 onwards) with one of the reader's methods. */
function read(yaml: string, use: (r: FieldReader, o: JsonObject) => unknown) {
  const doc = parseSourceText(FILE, `o:\n${yaml}\n`)
  const r = new FieldReader(doc)
  const value = use(r, (doc.data as { o: JsonObject }).o)
  return { value, messages: r.errors.map((e) => e.message) }
}

const vectors: {
  name: string
  yaml: string
  use: (r: FieldReader, o: JsonObject) => unknown
  expect: string[]
}[] = [
  {
    name: 'a required object that is missing',
    yaml: '  y: 1',
    use: (r, o) => r.object(o, 'x', '/o', true),
    expect: [`${FILE}:2: /o/x: a required object is missing`],
  },
  {
    name: 'an object that is a list',
    yaml: '  x: [1]',
    use: (r, o) => r.object(o, 'x', '/o', false),
    expect: [`${FILE}:2: /o/x: expected an object, found a list`],
  },
  {
    name: 'a required string that is missing',
    yaml: '  y: 1',
    use: (r, o) => r.string(o, 'x', '/o', true),
    expect: [`${FILE}:2: /o/x: a required string is missing`],
  },
  {
    name: 'a string that is null',
    yaml: '  x: null',
    use: (r, o) => r.string(o, 'x', '/o', false),
    expect: [`${FILE}:2: /o/x: expected a string, found null`],
  },
  {
    name: 'a boolean written as text',
    yaml: "  x: 'true'",
    use: (r, o) => r.boolean(o, 'x', '/o'),
    expect: [`${FILE}:2: /o/x: expected true or false, found the string "true"`],
  },
  {
    name: 'an integer with a fraction, and a long text shortened',
    yaml: '  x: 1.5\n  y: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    use: (r, o) => [r.integer(o, 'x', '/o', 0, 10), r.integer(o, 'y', '/o', 0, 10)],
    expect: [
      `${FILE}:2: /o/x: expected an integer from 0 to 10, found number 1.5`,
      `${FILE}:3: /o/y: expected an integer from 0 to 10, found the string "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…"`,
    ],
  },
  {
    name: 'a list with something other than strings',
    yaml: '  x: [a, 1]',
    use: (r, o) => r.stringArray(o, 'x', '/o'),
    expect: [`${FILE}:2: /o/x: expected a list of strings, found a list`],
  },
  {
    name: 'a map with a value that is not text, under a key with a slash',
    yaml: '  x:\n    a/b: 1\n    c: d',
    use: (r, o) => r.stringMap(o, 'x', '/o'),
    expect: [`${FILE}:3: /o/x/a~1b: expected a string, found number 1`],
  },
]

describe('field reader messages', () => {
  for (const v of vectors) {
    test(v.name, () => assert.deepEqual(read(v.yaml, v.use).messages, v.expect))
  }

  test('numeric strings are integers, as API Gateway writes them', () => {
    assert.deepEqual(
      read("  x: '42'", (r, o) => r.integer(o, 'x', '/o', 0, 100)),
      { value: 42, messages: [] },
    )
  })

  test('one problem is thrown as itself, several together', () => {
    const one = read('  x: 1', (r, o) => {
      r.string(o, 'x', '/o', true)
      return r
    }).value as FieldReader
    assert.equal(one.hasErrors, true)
    assert.throws(
      () => one.throwIfErrors(),
      (err: unknown) => err instanceof ConfigError,
    )
    const two = read('  x: 1\n  y: 2', (r, o) => {
      r.string(o, 'x', '/o', true)
      r.string(o, 'y', '/o', true)
      return r
    }).value as FieldReader
    assert.throws(
      () => two.throwIfErrors(),
      (err: unknown) => err instanceof ConfigErrors && err.errors.length === 2,
    )
    const none = new FieldReader(parseSourceText(FILE, 'a: 1\n'))
    assert.equal(none.hasErrors, false)
    none.throwIfErrors()
  })
})

describe('source document messages', () => {
  test('a file that is not YAML says which line', () => {
    assert.throws(
      () => parseSourceText(FILE, 'openapi: 3.0.1\ninfo: title: x\npaths: {}\n'),
      (err: unknown) =>
        err instanceof ConfigError && /^api\.yaml:2: not valid YAML or JSON \(/.test(err.message),
    )
  })

  test('a key written twice is refused at its line', () => {
    assert.throws(
      () => parseSourceText(FILE, 'openapi: 3.0.1\nopenapi: 3.1.0\n'),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.startsWith('api.yaml:2: not valid YAML or JSON (DUPLICATE_KEY: Map keys must be unique'),
    )
  })

  test('a file that does not exist, and one that cannot be read, say so', async () => {
    await assert.rejects(loadSourceDocument('no-such-api.yaml'), {
      message: 'no-such-api.yaml: file not found',
    })
    const folder = import.meta.dirname
    await assert.rejects(loadSourceDocument(folder), { message: `${folder}: cannot be read (EISDIR)` })
  })
})
