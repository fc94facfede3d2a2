/**
 * forcegate: the same `{proxy+}` route as fg-lambda, as a non-proxy `aws` integration with a
 * request template (the event) and a response template (the body), both rendered per request.
 */
import { apiDocument, lambdaProxy, startForcegate } from '../lib/forcegate.ts'
import type { Scenario } from '../lib/scenario.ts'

const REQUEST_TEMPLATE = `{
  "item": "$util.escapeJavaScript($input.params('proxy'))",
  "method": "$context.httpMethod",
  "principal": "anonymous"
}`

const RESPONSE_TEMPLATE = `#set($r = $input.path('$'))
{"ok":$r.ok,"service":"$r.service","item":"$r.item","principal":"$r.principal","pad":"$r.pad"}`

export const forcegateLambdaMapped: Scenario = {
  id: 'fg-lambda-mapped',
  label: 'forcegate aws Lambda with mapping templates',
  kind: 'forcegate',
  path: '/api/items',
  start: (ctx) =>
    startForcegate(
      ctx,
      'lambda-mapped',
      apiDocument('bench lambda mapped', {
        '/{proxy+}': {
          'x-amazon-apigateway-any-method': {
            'x-amazon-apigateway-integration': {
              ...lambdaProxy('bench-mapped'),
              type: 'aws',
              requestTemplates: { 'application/json': REQUEST_TEMPLATE },
              responses: {
                default: { statusCode: '200', responseTemplates: { 'application/json': RESPONSE_TEMPLATE } },
              },
            },
          },
        },
      }),
    ),
}
