/**
 * forcegate: a REST API guarded by a TOKEN Lambda authorizer (jose RS256, wildcard policy,
 * result cached 300 s) in front of the aws_proxy Lambda handler: the same two modules the
 * serverless-offline peer runs. One token, so after the first request the policy comes from
 * the result cache and is evaluated against each request's method ARN.
 */
import { apiDocument, lambdaProxy, startForcegate, tokenAuthorizerScheme } from '../lib/forcegate.ts'
import type { Scenario } from '../lib/scenario.ts'

export const forcegateTokenAuthorizer: Scenario = {
  id: 'fg-token',
  label: 'forcegate TOKEN authorizer (cached policy) + Lambda handler',
  kind: 'forcegate',
  path: '/api/items',
  start: (ctx) =>
    startForcegate(ctx, 'token-authorizer', {
      ...apiDocument(
        'bench token authorizer',
        {
          '/{proxy+}': {
            'x-amazon-apigateway-any-method': {
              'x-amazon-apigateway-integration': lambdaProxy('bench-hello'),
            },
          },
        },
        { schemes: { bearer: tokenAuthorizerScheme('bench-token-auth', 300) } },
      ),
      security: [{ bearer: [] }],
    }),
}
