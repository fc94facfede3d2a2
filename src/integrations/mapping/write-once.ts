/**
 * Maps whose entries a template may set once only: `$context.requestOverride.*` and
 * `$context.responseOverride.*`. AWS's documentation: "Overrides are final. An override may
 * only be applied to each parameter once. Trying to override the same parameter multiple
 * times will result in 5XX responses."
 */

/** Thrown (and answered as a failed mapping, a 500) when a template sets such an entry twice. */
export class OverrideSetTwiceError extends Error {
  override name = 'OverrideSetTwiceError'
}

/**
 * A map whose entries are set once. Its name, for the error, is a private field: a template
 * reads and iterates the entries as any map's, and sees nothing else.
 */
export class WriteOnceMap {
  readonly #name: string
  constructor(name: string) {
    this.#name = name
  }

  /** Refuses a second write of `key` into a write-once map; any other target passes. */
  static check(target: unknown, key: string): void {
    if (typeof target !== 'object' || target === null || !(#name in target)) return
    if (!Object.hasOwn(target, key) || (target as unknown as Record<string, unknown>)[key] === undefined)
      return
    throw new OverrideSetTwiceError(
      `${target.#name}.${key} is set twice; an override may be applied to each parameter once`,
    )
  }
}

export const checkWrite: (target: unknown, key: string) => void = WriteOnceMap.check
