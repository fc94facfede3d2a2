/**
 * A problem found while loading configuration or preparing the gateway to start. It names
 * the file, the JSON pointer of the field (when there is one) and what was expected, so the
 * user can fix it without reading our code.
 */
export class ConfigError extends Error {
  readonly file: string
  readonly pointer: string
  readonly expected: string
  readonly line: number | undefined

  constructor(file: string, pointer: string, expected: string, line?: number) {
    const where = line === undefined ? file : `${file}:${line}`
    super(pointer === '' ? `${where}: ${expected}` : `${where}: ${pointer}: ${expected}`)
    this.name = 'ConfigError'
    this.file = file
    this.pointer = pointer
    this.expected = expected
    this.line = line
  }
}

/** Several configuration problems reported together, so one run shows them all. */
export class ConfigErrors extends Error {
  readonly errors: readonly ConfigError[]

  constructor(errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'))
    this.name = 'ConfigErrors'
    this.errors = errors
  }
}
