import { inspect } from 'node:util'

/**
 * The caller's own Salesforce access token, carried from authentication to an integration
 * that acts as the caller. It never prints: logs, `JSON.stringify` and `util.inspect` see
 * `[redacted]`; only `bearer()` gives the header value, at the moment of the call.
 */
export class CallerToken {
  readonly #token: string

  constructor(token: string) {
    this.#token = token
  }

  bearer(): string {
    return `Bearer ${this.#token}`
  }

  toJSON(): string {
    return '[redacted]'
  }

  toString(): string {
    return '[redacted]'
  }

  [inspect.custom](): string {
    return 'CallerToken [redacted]'
  }
}
