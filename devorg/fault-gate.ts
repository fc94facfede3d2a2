import type { Faults } from './faults.ts'

/** `body` is sent as JSON; a string `raw` is sent as it is (the garbage fault). */
export type FaultAnswer = { status: number; body: unknown; delayMs: number; raw?: string }

/** Half a maintenance page, cut off: neither JSON nor a form a client could mistake for one. */
export const GARBAGE_BODY = '<html><head><title>Maintenance</title></head><body>\u0000{"access_token":'

const UNAVAILABLE = [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]

function isRest(pathname: string): boolean {
  return pathname === '/services/data' || pathname.startsWith('/services/data/')
}

/**
 * What the switched-on faults do to a request: the delay to add, and an answer that replaces
 * the real one (or null to serve normally). The admin endpoint is never faulted, and the REST
 * slice applies the same switches itself, in its own error shapes.
 */
export function decideFault(
  faults: Faults,
  pathname: string,
): { delayMs: number; answer: FaultAnswer | null } {
  if (pathname.startsWith('/__devorg/') || isRest(pathname)) return { delayMs: 0, answer: null }
  const delayMs = faults.slowMs
  if (faults.unavailable) return { delayMs, answer: { status: 503, body: UNAVAILABLE, delayMs } }
  if (faults.garbage === true)
    return { delayMs, answer: { status: 200, body: null, delayMs, raw: GARBAGE_BODY } }
  if (faults.introspectionDown && pathname === '/services/oauth2/introspect') {
    return { delayMs, answer: { status: 503, body: UNAVAILABLE, delayMs } }
  }
  if (faults.requestLimitExceeded && pathname === '/services/oauth2/token') {
    const body = { error: 'rate_limit_exceeded', error_description: 'too many token requests' }
    return { delayMs, answer: { status: 400, body, delayMs } }
  }
  return { delayMs, answer: null }
}
