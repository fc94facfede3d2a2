import { GatewayError } from '../errors/gateway-error.ts'
import type { UsageOutcome } from './usage-limiter.ts'

/**
 * Response headers for a usage decision. forcegate sends the IETF httpapi draft's three fields,
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (delta seconds), on every
 * response of a route with a usage plan, and `Retry-After` (delta seconds) on a 429. It does
 * not send the `X-RateLimit-*` family. Pure: the same outcome always gives the same headers.
 */
export function rateLimitHeaders(outcome: UsageOutcome): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  if (outcome.state !== undefined) {
    headers['RateLimit-Limit'] = String(outcome.state.limit)
    headers['RateLimit-Remaining'] = String(outcome.state.remaining)
    headers['RateLimit-Reset'] = String(outcome.state.resetSeconds)
  }
  if (!outcome.allowed) headers['Retry-After'] = String(outcome.retryAfterSeconds)
  return headers
}

/**
 * The 429 for a refused request: GW_THROTTLED for the bucket (API Gateway's THROTTLED response
 * type) and GW_QUOTA_EXCEEDED for the quota (QUOTA_EXCEEDED), carrying the headers above.
 */
export function usageLimitError(outcome: UsageOutcome & { allowed: false }): GatewayError {
  const code = outcome.kind === 'throttle' ? 'GW_THROTTLED' : 'GW_QUOTA_EXCEEDED'
  return new GatewayError(code, {
    reason: outcome.kind === 'throttle' ? 'usage.throttle' : 'usage.quota',
    headers: rateLimitHeaders(outcome),
  })
}
