/**
 * A JSON payload as API Gateway's Java reads it: an integer too large for a JavaScript number
 * (an id such as 1234567890123456789) keeps all its digits, as Java's Long or BigInteger does,
 * so `$input.json('$')` and `$input.path('$.id')` print it as it came. Such an integer is held
 * as a raw JSON value (`JSON.rawJSON`), which `JSON.stringify` writes digit for digit and a
 * template prints as its digits; the slower reviving parse runs only for a payload with a run
 * of 16 digits or more.
 */

interface RawJson {
  readonly rawJSON: string
}

/** The parts of the JSON source-access API (Node 21 and later) that the ES2024 types leave out. */
const SourceJson = JSON as unknown as {
  rawJSON(text: string): RawJson
  isRawJSON(value: unknown): value is RawJson
  parse(
    text: string,
    reviver: (key: string, value: unknown, context: { source?: string }) => unknown,
  ): unknown
}

const LONG_DIGITS = /\d{16}/
const INTEGER = /^-?\d+$/

function keepLargeIntegers(_key: string, value: unknown, context: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value
  const source = context.source
  return source !== undefined && INTEGER.test(source) ? SourceJson.rawJSON(source) : value
}

/** `JSON.parse`, but a large integer keeps its digits; throws SyntaxError as JSON.parse does. */
export function parseJsonPayload(text: string): unknown {
  return LONG_DIGITS.test(text) ? SourceJson.parse(text, keepLargeIntegers) : JSON.parse(text)
}

/** The digits of a large integer `parseJsonPayload` kept; `undefined` for any other value. */
export function largeIntegerText(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && SourceJson.isRawJSON(value)
    ? value.rawJSON
    : undefined
}
