/**
 * How a value prints inside a template: Velocity calls Java's `toString()`, so a map prints as
 * `{a=1, b=2}`, a list as `[1, 2]` (a null inside either as `null`), and null as nothing (API Gateway renders a null reference
 * as an empty string rather than the reference's text).
 */
import { largeIntegerText } from './json-payload.ts'

export function toVtlString(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object' && NULL_PRINT in value) return ''
  return javaString(value)
}

const NULL_PRINT = Symbol('forcegate.prints-as-null')

/**
 * Marks a map that prints as a null does (nothing) while its entries stay readable:
 * `$context.authorizer.claims`, which AWS documents as returning null when called itself.
 */
export function printsAsNull<T extends object>(map: T): T {
  ;(map as { [NULL_PRINT]?: true })[NULL_PRINT] = true
  return map
}

/** Java's `toString()`; inside a list or map a null prints as `null`, as Java's collections do. */
function javaString(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return 'null'
  // No template value is a function; should one ever be, its JavaScript source stays unprinted.
  if (typeof value !== 'object')
    return typeof value === 'function' || typeof value === 'symbol' ? '' : String(value)
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`
  const digits = largeIntegerText(value)
  if (digits !== undefined) return digits
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}=${javaString(v)}`)
    .join(', ')}}`
}
