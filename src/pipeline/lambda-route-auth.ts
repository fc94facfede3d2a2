import { createTrail } from '../auth/lambda-authorizer/authorizer-trail.ts'
import type { AuthorizedIdentity } from '../auth/lambda-authorizer/integration-context.ts'
import type { AuthorizeResult, LambdaAuthorizer } from '../auth/lambda-authorizer/lambda-authorizer.ts'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { RouteAuth } from './types.ts'

const NO_CHECKS: RouteAuth['checks'] = Object.freeze([])

/**
 * A route guarded by a Lambda authorizer: one adapter that authenticates and authorizes (the
 * function returns the principal and the policy together). The shared authorizer (and its
 * cache) serves many routes; `shape` is the integration's `requestContext.authorizer` form.
 */
export function lambdaRouteAuth(
  authorizer: LambdaAuthorizer,
  description: string,
  shape: (identity: AuthorizedIdentity) => Record<string, unknown>,
): RouteAuth {
  return {
    description,
    trustedHeaderNames: new Set(),
    async authenticate(call) {
      if (call.explain === undefined) {
        const result = await authorizer.authorize(call.view, {})
        return { principalId: result.principalId, identity: result }
      }
      const trail = createTrail(authorizer.id)
      try {
        const result = await authorizer.authorize(call.view, { trail })
        return { principalId: result.principalId, identity: result }
      } finally {
        call.explain({ step: 'authorizer', ...trail })
      }
    },
    checks: NO_CHECKS,
    enrich(principal) {
      const result = principal.identity as AuthorizeResult
      return {
        principalId: result.principalId,
        authorizerContext: shape(result),
        identityHeaders: [],
        usageIdentifierKey: result.usageIdentifierKey,
      }
    },
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
