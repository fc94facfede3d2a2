import { types } from 'node:util'
import { LambdaFunctionError } from './lambda-invoker.ts'

/**
 * What API Gateway receives from a Node.js function: the runtime sends `JSON.stringify` of the
 * result (`undefined` as `null`), so only what survives JSON reaches the gateway. A result that
 * cannot be serialised (a cycle, a BigInt, a throwing getter or toJSON) fails the invocation,
 * and a top-level function or Symbol serialises to no payload at all.
 *
 * The value is `JSON.parse(JSON.stringify(result))` without the text in between: a walk that
 * follows JSON.stringify's steps (ECMA-262 SerializeJSONProperty: toJSON, boxed primitives,
 * non-finite numbers as null, undefined, functions and symbols left out of objects and null in
 * arrays, cycles and BigInts refused) and builds what JSON.parse would. Every request's result
 * goes through here, and the text was only ever parsed back.
 */
export function asLambdaPayload(result: unknown): unknown {
  let value: unknown
  try {
    value = serialise('', result === undefined ? null : result, [])
  } catch (err) {
    // Nesting deeper than this walk's stack: JSON.stringify itself decides (it recurses further).
    value = err instanceof RangeError ? viaText(result) : failed(err)
  }
  return value === LEFT_OUT ? undefined : value
}

const LEFT_OUT = Symbol('left out')
const OBJECT_PROTOTYPE = Object.prototype
const { isBoxedPrimitive, isNumberObject, isStringObject, isBooleanObject, isBigIntObject } = types
const isRawJSON = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON

function failed(err: unknown): never {
  const why = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err)
  throw new LambdaFunctionError('Error', `Unable to stringify response body (${why})`)
}

function viaText(result: unknown): unknown {
  let text: string | undefined
  try {
    text = JSON.stringify(result === undefined ? null : result)
  } catch (err) {
    failed(err)
  }
  return text === undefined ? LEFT_OUT : (JSON.parse(text) as unknown)
}

/** One property as JSON.stringify serialises it, parsed back; LEFT_OUT where it writes nothing. */
function serialise(key: string, input: unknown, stack: object[]): unknown {
  let value = input
  if (
    (typeof value === 'object' && value !== null) ||
    typeof value === 'function' ||
    typeof value === 'bigint'
  ) {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') value = toJSON.call(value, key)
  }
  if (typeof value === 'object' && value !== null && isBoxedPrimitive(value)) {
    if (isNumberObject(value)) value = Number(value)
    else if (isStringObject(value)) value = String(value)
    else if (isBooleanObject(value)) value = Boolean.prototype.valueOf.call(value)
    else if (isBigIntObject(value)) value = BigInt.prototype.valueOf.call(value)
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      // -0 is written as 0; NaN and the infinities as null.
      return Number.isFinite(value) ? value + 0 : null
    case 'bigint':
      // Throws JSON.stringify's own TypeError.
      return JSON.stringify(value)
    case 'object':
      if (value === null) return null
      if (isRawJSON?.(value) === true) return JSON.parse((value as { rawJSON: string }).rawJSON) as unknown
      if (stack.includes(value)) throw new TypeError('Converting circular structure to JSON')
      stack.push(value)
      try {
        return Array.isArray(value) ? serialiseArray(value, stack) : serialiseObject(value, stack)
      } finally {
        stack.pop()
      }
    default:
      return LEFT_OUT
  }
}

function serialiseArray(array: readonly unknown[], stack: object[]): unknown[] {
  const length = array.length
  const out: unknown[] = []
  for (let i = 0; i < length; i++) {
    const item = serialise(String(i), array[i], stack)
    out.push(item === LEFT_OUT ? null : item)
  }
  return out
}

function serialiseObject(object: object, stack: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(object)) {
    const item = serialise(key, (object as Record<string, unknown>)[key], stack)
    if (item === LEFT_OUT) continue
    // JSON.parse defines own properties: `__proto__` (or any name Object.prototype has) is data.
    if (key in OBJECT_PROTOTYPE)
      Object.defineProperty(out, key, { value: item, writable: true, enumerable: true, configurable: true })
    else out[key] = item
  }
  return out
}
