import type { GatewayRequest } from '../http/gateway-request.ts'

/**
 * Everything an API Gateway event is built from: the request plus what routing and the
 * deployment decided. Shared by the Lambda proxy integration and the Lambda authorizer
 * events, which AWS builds from the same parts.
 */
export interface RequestView {
  readonly request: GatewayRequest
  /** Stage name; `$default` on HTTP APIs without a named stage. */
  readonly stage: string
  /** The matched resource template, e.g. `/orders/{orderId}` or `/{proxy+}`. */
  readonly resourcePath: string
  /** HTTP API route key, e.g. `GET /orders/{orderId}` or `$default`. */
  readonly routeKey: string
  readonly pathParameters: Readonly<Record<string, string>> | null
  readonly stageVariables: Readonly<Record<string, string>> | null
  readonly deployment: Deployment
}

/** Identifiers API Gateway would have assigned; fixed per gateway from configuration. */
export interface Deployment {
  readonly apiId: string
  readonly accountId: string
  readonly region: string
  readonly resourceId: string
}

/** `Host` header or, when absent, the API's execute-api domain. */
export function domainOf(view: RequestView): { domainName: string; domainPrefix: string } {
  const host = view.request.headers.get('host')?.[0]
  const domainName = host ?? `${view.deployment.apiId}.execute-api.${view.deployment.region}.amazonaws.com`
  const dot = domainName.indexOf('.')
  return { domainName, domainPrefix: dot === -1 ? domainName : domainName.slice(0, dot) }
}

/** Payload 1.0 shows an empty map as `null` (payload 2.0 leaves the key out); both start here. */
export function nonEmptyOrNull<T>(
  map: Readonly<Record<string, T>> | null,
): Readonly<Record<string, T>> | null {
  return map === null || Object.keys(map).length === 0 ? null : map
}
