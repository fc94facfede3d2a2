import { createTrail } from '../auth/lambda-authorizer/authorizer-trail.ts'
import {
  httpV1AuthorizerContext,
  httpV2AuthorizerContext,
  restAuthorizerContext,
} from '../auth/lambda-authorizer/integration-context.ts'
import type { LambdaAuthorizer } from '../auth/lambda-authorizer/lambda-authorizer.ts'
import type { LambdaInvoker } from '../aws/lambda-invoker.ts'
import type { RouteAuth } from './types.ts'

/** A route guarded by a Lambda authorizer; the shared authorizer (and its cache) serves many routes. */
export function lambdaRouteAuth(
  authorizer: LambdaAuthorizer,
  description: string,
  apiKind: 'rest' | 'http',
  integrationPayload: '1.0' | '2.0' | undefined,
): RouteAuth {
  const shape =
    apiKind === 'rest'
      ? restAuthorizerContext
      : integrationPayload === '2.0'
        ? httpV2AuthorizerContext
        : httpV1AuthorizerContext
  return {
    description,
    trustedHeaderNames: new Set(),
    async authorize(view, explain) {
      const trail = explain === undefined ? undefined : createTrail(authorizer.id)
      try {
        const result = await authorizer.authorize(view, trail === undefined ? {} : { trail })
        return {
          principalId: result.principalId,
          authorizerContext: shape(result),
          identityHeaders: [],
          usageIdentifierKey: result.usageIdentifierKey,
        }
      } finally {
        if (trail !== undefined) explain?.({ step: 'authorizer', ...trail })
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
