/**
 * Velocity 1.7's operators, as API Gateway's templates evaluate them on Java, where they differ
 * from JavaScript's:
 * - truth: only null and `false` are false; an empty string, `0` and an empty list are true
 *   (so `#if($input.params('x'))` is true for a parameter that is absent, which reads as "");
 * - arithmetic: on numbers only; two integers divide as integers, a zero divisor or an
 *   operand that is not a number gives null; `+` with a string operand concatenates;
 * - `==`: numbers by value, values of one type by Java's `equals`, values of different types
 *   by their printed form (`"1" == 1` is true); `<`, `>`, `<=`, `>=` compare numbers only.
 */
import { toVtlString } from './vtl-string.ts'

export function velocityTrue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false
}

const isNull = (v: unknown): boolean => v === undefined || v === null

function deepEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false
    if (!deepEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}

export function velocityEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b)
  if (typeof a === 'number' && typeof b === 'number') return a === b
  if (typeof a === typeof b) return deepEquals(a, b)
  return toVtlString(a) === toVtlString(b)
}

export type MathOperator = '+' | '-' | '*' | '/' | '%'

/**
 * @param decimal an operand was written as a decimal literal (`7.0`): the division stays real
 *   even when both values are whole numbers.
 */
export function velocityMath(operator: MathOperator, a: unknown, b: unknown, decimal: boolean): unknown {
  if (typeof a !== 'number' || typeof b !== 'number') {
    if (operator === '+' && (typeof a === 'string' || typeof b === 'string'))
      return toVtlString(a) + toVtlString(b)
    return undefined
  }
  switch (operator) {
    case '+':
      return a + b
    case '-':
      return a - b
    case '*':
      return a * b
    case '%':
      return b === 0 ? undefined : a % b
    default:
      if (b === 0) return undefined
      return !decimal && Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b
  }
}

export type CompareOperator = '<' | '>' | '<=' | '>='

export function velocityCompare(operator: CompareOperator, a: unknown, b: unknown): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return false
  switch (operator) {
    case '<':
      return a < b
    case '>':
      return a > b
    case '<=':
      return a <= b
    default:
      return a >= b
  }
}
