import { randomUUID } from 'node:crypto'

/** The second argument of a Lambda handler, as the Node.js runtime shapes it. */
export interface LambdaContext {
  readonly awsRequestId: string
  readonly functionName: string
  readonly functionVersion: string
  readonly invokedFunctionArn: string
  readonly memoryLimitInMB: string
  readonly logGroupName: string
  readonly logStreamName: string
  callbackWaitsForEmptyEventLoop: boolean
  getRemainingTimeInMillis(): number
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
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock()),
  }
}
