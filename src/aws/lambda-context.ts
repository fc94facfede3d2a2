import { randomUUID } from 'node:crypto'
import { activeTraceparent } from '../lib/w3c-traceparent.ts'

/** The second argument of a Lambda handler, as the Node.js runtime shapes it. */
export interface LambdaContext {
  readonly awsRequestId: string
  readonly functionName: string
  readonly functionVersion: string
  readonly invokedFunctionArn: string
  readonly memoryLimitInMB: string
  readonly logGroupName: string
  readonly logStreamName: string
  /**
   * As AWS gives a caller's ClientContext; the gateway puts the W3C `traceparent` of the span
   * the function runs under in `custom.traceparent` when tracing is on (undefined otherwise).
   */
  readonly clientContext: LambdaClientContext | undefined
  callbackWaitsForEmptyEventLoop: boolean
  getRemainingTimeInMillis(): number
}

export interface LambdaClientContext {
  readonly custom: { readonly traceparent: string }
}

/** The client context carrying the active trace, or undefined when nothing is traced. */
export function tracedClientContext(): LambdaClientContext | undefined {
  const traceparent = activeTraceparent()
  return traceparent === undefined ? undefined : { custom: { traceparent } }
}

export interface LambdaContextInput {
  readonly functionName: string
  readonly functionArn: string
  readonly deadline: number
  readonly clock: () => number
}

export function createLambdaContext(input: LambdaContextInput): LambdaContext {
  const { clock, deadline } = input
  return {
    awsRequestId: randomUUID(),
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: input.functionArn,
    memoryLimitInMB: '128',
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: 'forcegate/[$LATEST]local',
    clientContext: tracedClientContext(),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock()),
  }
}
