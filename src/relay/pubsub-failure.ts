// How the relay reads a failed Pub/Sub call: Salesforce puts its own code in the `error-code`
// trailer, and that code, more than the gRPC status, says whether to refresh the token,
// reconnect, give up, or ask configuration what to do about a lost replay position.

import { type ServiceError, status } from '@grpc/grpc-js'

export type FailureKind =
  /** Bad or expired token: fetch a new one, then reconnect. */
  | 'auth'
  /** The stored replay id is expired, corrupted or from another stream: onLostReplay decides. */
  | 'lost-replay'
  /** Unknown topic or no access to it: nothing a retry changes. */
  | 'topic'
  /** Anything else (unavailable, connection dropped, limits): reconnect with backoff. */
  | 'transient'

const REPLAY_CODES = new Set([
  'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
  'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed',
])

export function errorCodeOf(error: unknown): string | undefined {
  const value = (error as Partial<ServiceError>).metadata?.get('error-code')[0]
  return typeof value === 'string' ? value : undefined
}

export function classifyFailure(error: unknown): FailureKind {
  const code = (error as Partial<ServiceError>).code
  const sfCode = errorCodeOf(error)
  if (sfCode !== undefined && REPLAY_CODES.has(sfCode)) return 'lost-replay'
  if (code === status.UNAUTHENTICATED) return 'auth'
  if (code === status.NOT_FOUND || code === status.PERMISSION_DENIED) return 'topic'
  return 'transient'
}

/** One line for logs: status, Salesforce code and message, never metadata values. */
export function describeFailure(error: unknown): string {
  const e = error as Partial<ServiceError>
  const sfCode = errorCodeOf(error)
  return `${e.code === undefined ? '' : `${status[e.code] ?? e.code} `}${sfCode === undefined ? '' : `${sfCode} `}${e.details ?? e.message ?? String(error)}`.trim()
}
