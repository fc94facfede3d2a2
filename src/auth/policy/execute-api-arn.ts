/**
 * execute-api ARNs as API Gateway hands them to authorizers: the REST `methodArn` and the
 * HTTP API `routeArn` share one shape,
 * `arn:aws:execute-api:{region}:{accountId}:{apiId}/{stage}/{VERB}/{path without leading /}`.
 */
export interface ExecuteApiArnParts {
  readonly region: string
  readonly accountId: string
  readonly apiId: string
  readonly stage: string
  /** The request's concrete verb (an ANY method still reports GET, POST, ...). */
  readonly method: string
  /** The concrete request path (parameter values, not templates), with its leading `/`. */
  readonly path: string
}

/** API Gateway refuses authorization-enabled requests whose method ARN exceeds this (414). */
export const MAX_METHOD_ARN_BYTES = 1600

export function formatExecuteApiArn(parts: ExecuteApiArnParts): string {
  // The root resource keeps its slash as the separator: `.../prod/GET/`.
  const path = parts.path.startsWith('/') ? parts.path.slice(1) : parts.path
  return `arn:aws:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}/${parts.stage}/${parts.method}/${path}`
}

/** True when the ARN is longer than API Gateway accepts for an authorized method. */
export function methodArnTooLong(arn: string): boolean {
  return Buffer.byteLength(arn, 'utf8') > MAX_METHOD_ARN_BYTES
}
