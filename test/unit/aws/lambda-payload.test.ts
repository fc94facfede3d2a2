import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { LambdaFunctionError } from '../../../src/aws/lambda-invoker.ts'
import { asLambdaPayload } from '../../../src/aws/lambda-payload.ts'

/** What the Lambda runtime's JSON boundary makes of a result: the text, parsed back. */
function throughText(result: unknown): unknown {
  const text = JSON.stringify(result === undefined ? null : result)
  return text === undefined ? undefined : JSON.parse(text)
}

/** Same value, same own keys in the same order, same kind of property (data, own). */
function assertSameJson(actual: unknown, expected: unknown, at = '$'): void {
  assert.equal(typeof actual, typeof expected, at)
  if (typeof expected !== 'object' || expected === null) {
    assert.ok(Object.is(actual, expected), `${at}: ${String(actual)} is not ${String(expected)}`)
    return
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), at)
  assert.equal(Object.getPrototypeOf(actual), Object.getPrototypeOf(expected), at)
  assert.deepEqual(Reflect.ownKeys(actual as object), Reflect.ownKeys(expected), at)
  for (const key of Reflect.ownKeys(expected)) {
    if (Array.isArray(expected) && key === 'length') continue
    const descriptor = Object.getOwnPropertyDescriptor(actual, key)!
    assert.ok('value' in descriptor && descriptor.enumerable && descriptor.writable, `${at}.${String(key)}`)
    assertSameJson(descriptor.value, (expected as Record<PropertyKey, unknown>)[key], `${at}.${String(key)}`)
  }
}

const SHAPES: Record<string, () => unknown> = {
  'a proxy response': () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"a":"\\"q\\""}',
  }),
  undefined: () => undefined,
  null: () => null,
  'a string': () => 'text \ud800 lone surrogate',
  'numbers, -0, NaN and the infinities': () => [1, -0, 0.1, 1e21, -1e-7, NaN, Infinity, -Infinity],
  'undefined, functions and symbols': () => ({
    a: undefined,
    b: () => 1,
    c: Symbol('s'),
    d: [undefined, () => 1, Symbol('t')],
  }),
  'symbol keys and non-enumerable properties': () =>
    Object.defineProperty({ [Symbol('k')]: 1, shown: 1 }, 'hidden', { value: 2, enumerable: false }),
  'a Date and an invalid Date': () => ({ at: new Date(0), never: new Date(Number.NaN) }),
  'toJSON with its key': () => ({
    a: { toJSON: (key: string) => `key ${key}` },
    list: [{ toJSON: (k: string) => k }],
  }),
  'toJSON at the top': () => ({ toJSON: (key: string) => ({ top: key }) }),
  'a function with toJSON': () => ({ f: Object.assign(() => 1, { toJSON: () => 'from f' }) }),
  'boxed primitives': () => ({
    n: Object(1.5),
    s: Object('boxed'),
    b: Object(false),
    sym: Object(Symbol('boxed')),
    custom: Object.assign(Object(7), { valueOf: () => 8 }),
  }),
  'integer-like keys in their order': () => ({ b: 1, 2: 'two', a: 2, 1: 'one', '-1': 'minus' }),
  '__proto__ and other Object.prototype names as keys': () =>
    JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"toString":"s","hasOwnProperty":null}'),
  'a null-prototype object and a class instance': () => {
    class Point {
      x = 1
      get y() {
        return 2
      }
    }
    return { bare: Object.assign(Object.create(null), { k: 'v' }), point: new Point() }
  },
  'sparse arrays and extra array properties': () => {
    const list: unknown[] = [1]
    list[2] = 3
    ;(list as unknown as Record<string, unknown>).extra = 'left out'
    return list
  },
  'typed arrays, maps, sets, regular expressions, errors': () => ({
    bytes: new Uint8Array([1, 2]),
    map: new Map([['k', 1]]),
    set: new Set([1]),
    pattern: /x/g,
    error: new Error('e'),
  }),
  'a proxy object and a proxy array': () => ({
    object: new Proxy(
      { a: 1 },
      { get: (target, key) => (key === 'a' ? 'trapped' : Reflect.get(target, key)) },
    ),
    array: new Proxy([1, 2], {}),
  }),
  'a shared (not circular) object': () => {
    const shared = { n: 1 }
    return { a: shared, b: [shared, shared] }
  },
  'JSON.rawJSON': () => {
    const raw = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON
    return raw === undefined ? { big: 1 } : { big: raw('12345678901234567890') }
  },
}

describe("a local function's result crosses Lambda's JSON boundary as JSON.parse(JSON.stringify(result))", () => {
  for (const [name, build] of Object.entries(SHAPES)) {
    test(name, () => assertSameJson(asLambdaPayload(build()), throughText(build())))
  }

  test('a top-level function or symbol is no payload at all', () => {
    assert.equal(
      asLambdaPayload(() => 1),
      undefined,
    )
    assert.equal(asLambdaPayload(Symbol('s')), undefined)
  })

  test('later changes to the result are not seen', () => {
    const result = { headers: { a: '1' } }
    const payload = asLambdaPayload(result) as typeof result
    result.headers.a = '2'
    assert.equal(payload.headers.a, '1')
  })

  test('deep nesting is decided as JSON.stringify decides it', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 20_000; i++) deep = [deep]
    let expected: unknown
    try {
      expected = throughText(deep)
    } catch (err) {
      expected = err
    }
    if (expected instanceof Error) assert.throws(() => asLambdaPayload(deep), LambdaFunctionError)
    else assert.deepEqual(asLambdaPayload(deep), expected)
  })

  const failures: Record<string, () => unknown> = {
    'a cycle': () => {
      const o: Record<string, unknown> = {}
      o.self = { o }
      return o
    },
    'a BigInt': () => ({ n: 1n }),
    'a boxed BigInt': () => ({ n: Object(1n) }),
    'a throwing getter': () =>
      Object.defineProperty({}, 'role', {
        enumerable: true,
        get() {
          throw new Error('role is not loaded')
        },
      }),
    'a throwing toJSON': () => ({
      toJSON() {
        throw new RangeError('cannot serialise')
      },
    }),
  }
  for (const [name, build] of Object.entries(failures)) {
    test(`${name} fails the invocation with the message JSON.stringify gives`, () => {
      let why = ''
      try {
        JSON.stringify(build())
      } catch (err) {
        why = `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`
      }
      assert.throws(
        () => asLambdaPayload(build()),
        (err: unknown) =>
          err instanceof LambdaFunctionError && err.message === `Unable to stringify response body (${why})`,
      )
    })
  }
})
