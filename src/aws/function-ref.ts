/**
 * The Lambda function an integration or authorizer URI names. Accepts API Gateway's invoke URI
 * (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`) and a
 * plain function ARN (HTTP APIs allow it); the alias or version suffix is kept in the ARN only.
 */
export interface FunctionRef {
  readonly name: string
  readonly arn: string
}

const INVOKE_URI = /^arn:[\w-]+:apigateway:[\w-]*:lambda:path\/[\d-]+\/functions\/(.+)\/invocations$/
const FUNCTION_ARN = /^arn:[\w-]+:lambda:[\w-]*:[\w-]*:function:([A-Za-z0-9_-]{1,64})(:[\w$-]+)?$/

export function parseFunctionRef(uri: string): FunctionRef | undefined {
  const inner = INVOKE_URI.exec(uri)?.[1] ?? uri
  const match = FUNCTION_ARN.exec(inner)
  if (match === null) return undefined
  return { name: match[1]!, arn: inner }
}
