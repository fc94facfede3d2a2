/**
 * What each kind of request may be answered, and which faults explain which other answers. A
 * 2xx to a request without a valid credential is never explained; a 5xx is explained only by a
 * fault that was on while the request was in flight, or by a Lambda that failed on purpose.
 */
import type { FaultName } from './schedule.ts'

export type RequestKind =
  | 'jwt-cached'
  | 'jwt-new'
  | 'jwt-invalid'
  | 'no-credential'
  | 'sf-valid'
  | 'sf-invalid'
  | 'lambda-ok'
  | 'lambda-error'
  | 'lambda-timeout'
  | 'large-body'
  | 'slow-client'

/** Kinds that carry no valid credential: any 2xx to them is an allow without one. */
export const UNCREDENTIALED: ReadonlySet<RequestKind> = new Set([
  'jwt-invalid',
  'no-credential',
  'sf-invalid',
])

const ORG_FAULTS: readonly FaultName[] = ['org-slow', 'org-down', 'org-garbage', 'org-flapping']

/** Answers a kind always may get, whatever the faults. */
const EXPECTED: Record<RequestKind, readonly number[]> = {
  'jwt-cached': [200],
  'jwt-new': [200],
  'jwt-invalid': [401, 403],
  'no-credential': [401],
  'sf-valid': [200],
  'sf-invalid': [401],
  'lambda-ok': [200],
  // HTTP APIs answer a function's error 500 Internal Server Error, as AWS does.
  'lambda-error': [500],
  'lambda-timeout': [504],
  'large-body': [200],
  // The gateway may cut a client that trickles its body slower than its request timeout.
  'slow-client': [200, 408],
}

/** Kinds whose answer passes through the upstream (its resets explain a 502 or 504). */
const THROUGH_UPSTREAM: ReadonlySet<RequestKind> = new Set([
  'jwt-cached',
  'jwt-new',
  'sf-valid',
  'large-body',
  'slow-client',
])

export type Verdict = 'expected' | 'explained' | 'unexplained' | 'allowed-without-credential'

export function judge(kind: RequestKind, status: number, faults: ReadonlySet<FaultName>): Verdict {
  const ok = status >= 200 && status < 300
  if (ok && UNCREDENTIALED.has(kind)) return 'allowed-without-credential'
  if (EXPECTED[kind].includes(status)) return 'expected'
  const orgFault = ORG_FAULTS.some((f) => faults.has(f))
  // The org unreachable or talking nonsense: the gateway fails closed (401) or says so (5xx).
  if (orgFault && (kind === 'sf-valid' || kind === 'sf-invalid') && (status === 401 || status >= 500)) {
    return 'explained'
  }
  if (faults.has('upstream-reset') && THROUGH_UPSTREAM.has(kind) && (status === 502 || status === 504)) {
    return 'explained'
  }
  // Tokens signed with a new key may arrive before the gateway may refetch the JWKS (its cooldown).
  if (faults.has('jwks-rotated') && (kind === 'jwt-new' || kind === 'jwt-cached') && status === 401) {
    return 'explained'
  }
  return 'unexplained'
}
