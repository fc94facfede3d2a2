import type { Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import type { CorsPolicy } from './cors-policy.ts'

/**
 * An integration whose responses carry the API's CORS headers instead of its own. A streamed
 * response (http_proxy) gets them through the headers the gateway adds, which win over the
 * upstream's of the same name.
 */
export function withCors(inner: Integration, policy: CorsPolicy): Integration {
  const wrapped: Integration = {
    ...inner,
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      const request = call.view.request
      const added = policy.headersFor(request)
      const responseHeaders =
        added.length === 0 ? call.responseHeaders : { ...call.responseHeaders, ...Object.fromEntries(added) }
      const result = await inner.invoke(
        responseHeaders === call.responseHeaders ? call : { ...call, responseHeaders },
      )
      if (result.kind !== 'buffered') return result
      return { kind: 'buffered', response: policy.apply(request, result.response) }
    },
  }
  return wrapped
}
