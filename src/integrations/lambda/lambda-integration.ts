import type { FunctionRef } from '../../aws/function-ref.ts'
import type { LambdaInvoker } from '../../aws/lambda-invoker.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { MappingSource } from '../mapped/compile-mapping.ts'
import {
  createMappedIntegration,
  type IntegrationResponse,
  type MappedBackend,
  type MappedIntegration,
} from '../mapped/mapped-integration.ts'
import { lambdaErrorObject } from '../mapping/lambda-error-object.ts'

export interface LambdaIntegrationOptions {
  readonly file: string
  readonly mapping: MappingSource
  readonly binaryMediaTypes: readonly string[]
  readonly fn: FunctionRef
  readonly timeoutMs: number
  readonly invoker: LambdaInvoker
}

const JSON_HEADERS = { 'content-type': ['application/json'] }
/** What String.prototype.trim removes, and nothing else: an empty body is the event `{}`. */
const BLANK = /^\s*$/

/** `X-Amz-Invocation-Type` as the integration request maps it, under any casing. */
function invocationTypeOf(header: Readonly<Record<string, string>>): string | undefined {
  for (const name in header)
    if (Object.hasOwn(header, name) && name.toLowerCase() === 'x-amz-invocation-type') return header[name]
  return undefined
}

/**
 * `aws` with a Lambda URI (the "Lambda custom integration"): the integration request's body,
 * parsed as JSON as Lambda does, is the event; what the function returns, as JSON, is the
 * integration response body. A function that fails answers with the runtime's error object,
 * whose `errorMessage` the selection patterns match. `X-Amz-Invocation-Type: 'Event'` mapped
 * onto the integration request invokes asynchronously: the response is empty, at once.
 */
export function createLambdaIntegration(options: LambdaIntegrationOptions): MappedIntegration {
  const { fn, invoker, timeoutMs } = options
  const backend: MappedBackend = {
    type: 'aws',
    description: `lambda ${fn.name} (${invoker.describe(fn)}, mapping templates, timeout ${timeoutMs} ms)`,
    async send(request, call): Promise<IntegrationResponse> {
      const text = typeof request.body === 'string' ? request.body : request.body.toString('utf8')
      let event: unknown
      try {
        event = BLANK.test(text) ? {} : JSON.parse(text)
      } catch (err) {
        throw new GatewayError('GW_LAMBDA_PAYLOAD_NOT_JSON', {
          reason: 'lambda.payload_not_json',
          detail: `${fn.name}: ${(err as Error).message}`,
        })
      }
      const options = { requestId: call.view.request.requestId }
      if (invocationTypeOf(request.header) === 'Event') {
        invoker.invoke(fn, event, timeoutMs, options).catch(() => undefined)
        return { status: 200, headers: JSON_HEADERS, body: '', selectionSubject: '' }
      }
      try {
        const result = await invoker.invoke(fn, event, timeoutMs, options)
        const value = result === undefined ? null : result
        // The invoker's result is already JSON (what survives serialisation): templates read it
        // as it is rather than parsing its text again.
        return {
          status: 200,
          headers: JSON_HEADERS,
          body: JSON.stringify(value),
          parsed: { value },
          // No function error: patterns match an empty error message, so `.*` catches a success
          // too and `.+` does not (AWS's selectionPattern reference).
          selectionSubject: '',
        }
      } catch (err) {
        if (err instanceof Error && err.name === 'TimeoutError')
          throw new GatewayError('GW_INTEGRATION_TIMEOUT', { reason: 'lambda.timeout', detail: err.message })
        const error = lambdaErrorObject(err)
        return {
          status: 200,
          headers: JSON_HEADERS,
          body: JSON.stringify(error),
          selectionSubject: error.errorMessage,
        }
      }
    },
  }
  return createMappedIntegration({ ...options, backend })
}
