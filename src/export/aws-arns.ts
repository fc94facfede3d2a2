/**
 * ARNs written with the variables API Gateway resolves at import (`${AWS::Partition}`,
 * `${AWS::Region}`, `${AWS::AccountId}`): the exported document names no account or region, so
 * one export deploys anywhere.
 */

export function functionArn(name: string): string {
  return `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}`
}

export function lambdaInvokeUri(name: string): string {
  return `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${functionArn(name)}/invocations`
}

/** A Lambda function name (1 to 64 of A-Za-z0-9_-) for a scheme's authorizer. */
export function authorizerFunctionName(scheme: string): string {
  const safe = scheme.replace(/[^A-Za-z0-9_-]/g, '-')
  return `forcegate-authorizer-${safe}`.slice(0, 64)
}
