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

export const formatMethodArn = formatExecuteApiArn
export const formatRouteArn = formatExecuteApiArn

/** True when the ARN is longer than API Gateway accepts for an authorized method. */
export function methodArnTooLong(arn: string): boolean {
  return Buffer.byteLength(arn, 'utf8') > MAX_METHOD_ARN_BYTES
}

/**
 * Splits an execute-api ARN back into its parts, or `undefined` when it is not one. The
 * path may itself contain `:` and `/`, so only the first five colons and the first three
 * slashes of the resource part are separators.
 */
export function parseExecuteApiArn(arn: string): ExecuteApiArnParts | undefined {
  const prefix = 'arn:aws:execute-api:'
  if (!arn.startsWith(prefix)) return undefined
  const rest = arn.slice(prefix.length)
  const c1 = rest.indexOf(':')
  const c2 = c1 === -1 ? -1 : rest.indexOf(':', c1 + 1)
  if (c2 === -1) return undefined
  const resource = rest.slice(c2 + 1)
  const s1 = resource.indexOf('/')
  const s2 = s1 === -1 ? -1 : resource.indexOf('/', s1 + 1)
  const s3 = s2 === -1 ? -1 : resource.indexOf('/', s2 + 1)
  if (s3 === -1) return undefined
  return {
    region: rest.slice(0, c1),
    accountId: rest.slice(c1 + 1, c2),
    apiId: resource.slice(0, s1),
    stage: resource.slice(s1 + 1, s2),
    method: resource.slice(s2 + 1, s3),
    path: `/${resource.slice(s3 + 1)}`,
  }
}
