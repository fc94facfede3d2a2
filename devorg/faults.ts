// Fault switches for reliability tests. The object handed out by startDevOrg is live: tests
// and the admin endpoint mutate it and the next request sees the change.

export type Faults = {
  /** Delay added before every response, in milliseconds. */
  slowMs: number
  /** Every endpoint answers 503 SERVER_UNAVAILABLE. */
  unavailable: boolean
  /** REST calls answer 403 REQUEST_LIMIT_EXCEEDED; the token endpoint 400 rate_limit_exceeded. */
  requestLimitExceeded: boolean
  /** Only the introspection endpoint answers 503. */
  introspectionDown: boolean
  /**
   * The next N REST calls answer 403 REQUEST_LIMIT_EXCEEDED, then the org serves again: a limit
   * that clears, for testing clients that back off and retry. Counts down as calls arrive.
   */
  requestLimitExceededNext?: number
  /** The next N REST calls answer 503 SERVER_UNAVAILABLE; counts down likewise. */
  unavailableNext?: number
  /**
   * The OAuth endpoints answer 200 with a body that is not JSON: an org behind a broken proxy or
   * maintenance page, which a client must refuse rather than read as an answer.
   */
  garbage?: boolean
}

export const defaultFaults: Readonly<Faults> = Object.freeze({
  slowMs: 0,
  unavailable: false,
  requestLimitExceeded: false,
  introspectionDown: false,
  requestLimitExceededNext: 0,
  unavailableNext: 0,
  garbage: false,
})

/** Validates a partial update (from JSON or the CLI); returns an error message or the update. */
export function parseFaultsPatch(input: unknown): Partial<Faults> | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected a JSON object'
  const patch: Partial<Faults> = {}
  for (const [key, value] of Object.entries(input)) {
    if (key === 'slowMs') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 600_000) {
        return '/slowMs: expected an integer from 0 to 600000'
      }
      patch.slowMs = value
    } else if (key === 'requestLimitExceededNext' || key === 'unavailableNext') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
        return `/${key}: expected an integer from 0 to 1000000`
      }
      patch[key] = value
    } else if (
      key === 'unavailable' ||
      key === 'requestLimitExceeded' ||
      key === 'introspectionDown' ||
      key === 'garbage'
    ) {
      if (typeof value !== 'boolean') return `/${key}: expected a boolean`
      patch[key] = value
    } else {
      return `/${key}: unknown fault (expected slowMs, unavailable, requestLimitExceeded, introspectionDown, requestLimitExceededNext, unavailableNext, garbage)`
    }
  }
  return patch
}
