/**
 * Maps whose entries a template may set once only: `$context.requestOverride.*` and
 * `$context.responseOverride.*`. AWS's documentation: "Overrides are final. An override may
 * only be applied to each parameter once. Trying to override the same parameter multiple
 * times will result in 5XX responses." The mark is a symbol, which no template can name and
 * which neither JSON nor a printed map shows.
 */

const WRITE_ONCE = Symbol('forcegate.write-once')

/** Thrown (and answered as a failed mapping, a 500) when a template sets such an entry twice. */
export class OverrideSetTwiceError extends Error {
  override name = 'OverrideSetTwiceError'
}

export function writeOnce<T extends object>(map: T, name: string): T {
  ;(map as { [WRITE_ONCE]?: string })[WRITE_ONCE] = name
  return map
}

/** Refuses a second write of `key` into a write-once map; any other target passes. */
export function checkWrite(target: unknown, key: string): void {
  if (typeof target !== 'object' || target === null) return
  const name = (target as { [WRITE_ONCE]?: string })[WRITE_ONCE]
  if (name === undefined || !Object.hasOwn(target, key)) return
  const value = (target as Record<string, unknown>)[key]
  if (value === undefined) return
  throw new OverrideSetTwiceError(
    `${name}.${key} is set twice; an override may be applied to each parameter once`,
  )
}
