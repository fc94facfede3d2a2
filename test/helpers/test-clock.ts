/**
 * A clock that runs with the wall clock but can be moved ahead, for the dev org and the gateway
 * (both take a `clock` option): expiry is reached by moving the clock, never by waiting.
 */
export interface TestClock {
  readonly now: () => number
  advance(ms: number): void
}

export function testClock(startMs = Date.now()): TestClock {
  let offset = startMs - Date.now()
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms
    },
  }
}
