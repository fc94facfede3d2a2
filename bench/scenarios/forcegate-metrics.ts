/**
 * forcegate with metrics on: the `fg-token` route (TOKEN authorizer with a cached policy in
 * front of the Lambda handler) with `/_forcegate/metrics` served behind a token, so every
 * request is counted (route, method, status, latency) and every authorizer decision (cache
 * hit) too. Measured beside `fg-token`, the same gateway with metrics off, in the same run.
 */
import { randomBytes } from 'node:crypto'
import { apiDocument, lambdaProxy, startForcegate, tokenAuthorizerScheme } from '../lib/forcegate.ts'
import type { Scenario } from '../lib/scenario.ts'

export const forcegateTokenAuthorizerMetrics: Scenario = {
  id: 'fg-token-metrics',
  label: 'forcegate TOKEN authorizer + Lambda handler, metrics on',
  kind: 'forcegate',
  path: '/api/items',
  start: (ctx) =>
    startForcegate(
      ctx,
      'token-authorizer-metrics',
      {
        ...apiDocument(
          'bench token authorizer with metrics',
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
      },
      { env: { FORCEGATE_METRICS_TOKEN: randomBytes(24).toString('base64url') } },
    ),
}
