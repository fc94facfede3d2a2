/** forcegate: a REST API `{proxy+}` route with an aws_proxy integration to a local Lambda handler. */
import { apiDocument, lambdaProxy, startForcegate } from '../lib/forcegate.ts'
import type { Scenario } from '../lib/scenario.ts'

export const forcegateLambda: Scenario = {
  id: 'fg-lambda',
  label: 'forcegate aws_proxy Lambda handler',
  kind: 'forcegate',
  path: '/api/items',
  start: (ctx) =>
    startForcegate(
      ctx,
      'lambda',
      apiDocument('bench lambda', {
        '/{proxy+}': {
          'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': lambdaProxy('bench-hello') },
        },
      }),
    ),
}
