import type { Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import type { CorsPolicy } from './cors-policy.ts'

/**
 * The gateway's own answer to CORS preflights of an HTTP API with `x-amazon-apigateway-cors`:
 * compiled as an `OPTIONS` route, with no authorizer, where no route of the API takes `OPTIONS`
 * requests (`preflight-paths.ts`).
 */
export function createPreflightIntegration(policy: CorsPolicy): Integration {
  const answer = async (call: Pick<IntegrationCall, 'view'>): Promise<IntegrationResult> => ({
    kind: 'buffered',
    response: policy.preflight(call.view.request),
  })
  return {
    type: 'cors',
    description: 'CORS preflight (x-amazon-apigateway-cors)',
    needsBody: false,
    sideEffectFree: true,
    invoke: answer,
    async explain(call) {
      const result = await answer(call)
      return result.kind === 'buffered' ? { preflight: { status: result.response.status } } : {}
    },
  }
}
