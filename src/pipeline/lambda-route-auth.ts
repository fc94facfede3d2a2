import { createTrail } from '../auth/lambda-authorizer/authorizer-trail.ts'
import type { AuthorizerDecision, LambdaAuthorizer } from '../auth/lambda-authorizer/lambda-authorizer.ts'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { AuthorizedIdentity } from '../dialect/authorizer-context.ts'
import type { AuthCall, AuthOutcome, Principal, RouteAuth } from './types.ts'

const NO_CHECKS: RouteAuth['checks'] = Object.freeze([])
const NO_HEADERS: AuthOutcome['identityHeaders'] = Object.freeze([])

/**
 * A route guarded by a Lambda authorizer: one adapter that authenticates and authorizes (the
 * function returns the principal and the policy together). The shared authorizer (and its
 * cache) serves many routes; `shape` is the integration's `requestContext.authorizer` form.
 * The authorizer's decision is the principal: a cached allow allocates nothing more.
 */
export function lambdaRouteAuth(
  authorizer: LambdaAuthorizer,
  description: string,
  shape: (identity: AuthorizedIdentity) => Record<string, unknown>,
): RouteAuth {
  return {
    description,
    trustedHeaderNames: new Set(),
    authenticate(call) {
      if (call.explain === undefined) return authorizer.decide(call.view, undefined)
      return explained(authorizer, call)
    },
    checks: NO_CHECKS,
    enrich(principal) {
      const decision = principal as AuthorizerDecision
      return {
        principalId: decision.principalId,
        authorizerContext: shape(decision),
        identityHeaders: NO_HEADERS,
        usageIdentifierKey: decision.usageIdentifierKey,
      }
    },
  }
}

/** With someone listening, the authorizer records its trail, published whatever the outcome. */
async function explained(authorizer: LambdaAuthorizer, call: AuthCall): Promise<Principal> {
  const trail = createTrail(authorizer.id)
  try {
    return await authorizer.authorize(call.view, { trail })
  } finally {
    call.explain?.({ step: 'authorizer', ...trail })
  }
}

/** The invoke function an authorizer needs, over the shared Lambda invoker. */
export function invokeByName(invoker: LambdaInvoker, arns: ReadonlyMap<string, string>) {
  return (functionName: string, event: unknown, timeoutMs: number, requestId?: string): Promise<unknown> =>
    invoker.invoke(
      { name: functionName, arn: arns.get(functionName) ?? functionName },
      event,
      timeoutMs,
      requestId === undefined ? undefined : { requestId },
    )
}
