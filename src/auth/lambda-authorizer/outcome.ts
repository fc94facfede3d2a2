import type { GatewayErrorCode } from '../../errors/codes.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { PolicyDecision } from '../policy/evaluate-policy.ts'

/**
 * The one message an authorizer can fail with to get a 401. API Gateway compares it
 * exactly: `Unauthorized.` or `Unauthorized: expired` is a 500.
 */
const UNAUTHORIZED = 'Unauthorized'

/** True for `throw new Error('Unauthorized')`, `callback('Unauthorized')` and the Lambda wire form. */
export function isUnauthorizedSignal(thrown: unknown): boolean {
  if (thrown === UNAUTHORIZED) return true
  if (thrown instanceof Error) return thrown.message === UNAUTHORIZED
  if (typeof thrown === 'object' && thrown !== null && 'errorMessage' in thrown) {
    return (thrown as { errorMessage: unknown }).errorMessage === UNAUTHORIZED
  }
  return false
}

function isTimeout(thrown: unknown): boolean {
  return thrown instanceof Error && thrown.name === 'TimeoutError'
}

/**
 * REST answers every authorizer failure with `{"message":null}`; HTTP APIs with "Internal Server
 * Error": one code, which the API's dialect renders.
 */
const FAILURE: GatewayErrorCode = 'GW_AUTHORIZER_CONFIG'

/**
 * Maps what the authorizer threw to the client's answer. Nothing of the thrown value reaches
 * the client or the log detail beyond its type: authorizer errors may echo the token.
 */
export function invocationFailure(thrown: unknown): GatewayError {
  if (isUnauthorizedSignal(thrown))
    return new GatewayError('GW_AUTHORIZER_UNAUTHORIZED', { reason: 'authorizer.unauthorized' })
  if (isTimeout(thrown)) {
    return new GatewayError(FAILURE, {
      reason: 'authorizer.timeout',
      detail: 'the authorizer timed out',
    })
  }
  const type = thrown instanceof Error ? thrown.name : typeof thrown
  return new GatewayError(FAILURE, {
    reason: 'authorizer.threw',
    detail: `the authorizer failed (${type})`,
  })
}

/** An output API Gateway could not use (see `parseAuthorizerOutput`). */
export function malformedOutput(reason: string, detail: string): GatewayError {
  return new GatewayError(FAILURE, { reason, detail })
}

/** Identity sources absent or empty, or a token failing `identityValidationExpression`: 401, not invoked. */
export function identityRejected(
  reason: 'identity.missing' | 'identity.validation_expression',
  detail: string,
): GatewayError {
  return new GatewayError('GW_IDENTITY_MISSING', { reason, detail })
}

/**
 * A policy's deny: REST tells explicit from implicit (HTTP APIs say only "Forbidden" for both,
 * as their dialect renders these codes). The principal the policy named rides along for the
 * access log, never for the client.
 */
export function policyDenied(
  decision: Extract<PolicyDecision, { effect: 'deny' }>,
  principalId?: string,
): GatewayError {
  const who = principalId === undefined ? {} : { principalId }
  return decision.reason === 'explicit'
    ? new GatewayError('GW_ACCESS_DENIED_EXPLICIT', {
        reason: 'policy.deny.explicit',
        detail: `denied by statement ${decision.statementIndex}`,
        ...who,
      })
    : new GatewayError('GW_ACCESS_DENIED', { reason: 'policy.deny.implicit', ...who })
}

/** A simple response with `isAuthorized: false`. */
export function simpleDenied(): GatewayError {
  return new GatewayError('GW_FORBIDDEN', { reason: 'simple.not_authorized' })
}
