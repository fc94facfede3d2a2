import type { FunctionRef } from '../../aws/function-ref.ts'
import type { LambdaInvoker } from '../../aws/lambda-invoker.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { type BodyEncoding, encodeEventBody } from '../../events/event-body.ts'
import { buildProxyEventV1 } from '../../events/proxy-event-v1.ts'
import { buildProxyEventV2 } from '../../events/proxy-event-v2.ts'
import { lastHeader } from '../../http/gateway-request.ts'
import type { Integration, IntegrationCall, IntegrationResult } from '../types.ts'
import { mapProxyResponseV1 } from './proxy-response-v1.ts'
import { mapProxyResponseV2 } from './proxy-response-v2.ts'

export interface LambdaProxyOptions {
  readonly fn: FunctionRef
  readonly payloadFormatVersion: '1.0' | '2.0'
  readonly timeoutMs: number
  readonly bodyEncoding: BodyEncoding
  readonly invoker: LambdaInvoker
}

/** `aws_proxy`: the request becomes a proxy event, the function's answer becomes the response. */
export function createLambdaProxyIntegration(options: LambdaProxyOptions): Integration {
  const { fn, payloadFormatVersion: version, timeoutMs, bodyEncoding, invoker } = options
  const buildEvent = version === '2.0' ? buildProxyEventV2 : buildProxyEventV1
  const mapResponse = version === '2.0' ? mapProxyResponseV2 : mapProxyResponseV1
  // REST APIs answer a failed function with 502, HTTP APIs with 500 [observed]: the dialect renders it.
  const failure = 'GW_INTEGRATION_FAILURE'
  return {
    type: 'aws_proxy',
    description: `lambda ${fn.name} (${invoker.describe(fn)}, payload ${version}, timeout ${timeoutMs} ms)`,
    needsBody: true,
    async invoke(call: IntegrationCall): Promise<IntegrationResult> {
      const req = call.view.request
      const body = encodeEventBody(req.body, lastHeader(req, 'content-type'), bodyEncoding)
      const event = buildEvent(call.view, body, call.authorizer)
      let result: unknown
      try {
        result = await invoker.invoke(fn, event, timeoutMs)
      } catch (err) {
        if (err instanceof Error && err.name === 'TimeoutError') {
          throw new GatewayError('GW_INTEGRATION_TIMEOUT', { reason: 'lambda.timeout', detail: err.message })
        }
        throw new GatewayError(failure, {
          reason: 'lambda.error',
          detail: `${fn.name} failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
          cause: err,
        })
      }
      const mapped = mapResponse(result)
      if (!mapped.ok) {
        throw new GatewayError(failure, {
          reason: `lambda.response.${mapped.reason}`,
          detail: `${fn.name} returned a malformed proxy response (${mapped.reason})`,
        })
      }
      return { kind: 'buffered', response: mapped.response }
    },
  }
}
