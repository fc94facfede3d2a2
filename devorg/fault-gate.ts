import type { Faults } from './faults.ts'

export type FaultAnswer = { status: number; body: unknown; delayMs: number }

const UNAVAILABLE = [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]
const LIMIT_EXCEEDED = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]

/**
 * What the switched-on faults do to a request: the delay to add, and an answer that replaces
 * the real one (or null to serve normally). The admin endpoint is never faulted.
 */
export function decideFault(
  faults: Faults,
  pathname: string,
): { delayMs: number; answer: FaultAnswer | null } {
  if (pathname.startsWith('/__devorg/')) return { delayMs: 0, answer: null }
  const delayMs = faults.slowMs
  if (faults.unavailable) return { delayMs, answer: { status: 503, body: UNAVAILABLE, delayMs } }
  if (faults.introspectionDown && pathname === '/services/oauth2/introspect') {
    return { delayMs, answer: { status: 503, body: UNAVAILABLE, delayMs } }
  }
  if (faults.requestLimitExceeded) {
    if (pathname.startsWith('/services/data/'))
      return { delayMs, answer: { status: 403, body: LIMIT_EXCEEDED, delayMs } }
    if (pathname === '/services/oauth2/token') {
      const body = { error: 'rate_limit_exceeded', error_description: 'too many token requests' }
      return { delayMs, answer: { status: 400, body, delayMs } }
    }
  }
  return { delayMs, answer: null }
}
