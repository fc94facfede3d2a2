import { requestPartsV1 } from '../../events/request-parts-v1.ts'
import type { RequestView } from '../../events/request-view.ts'

/**
 * The REQUEST authorizer event of REST APIs (and, with `version: '1.0'`, of HTTP API
 * payload 1.0). It carries the request's parameters but never its body.
 */
export function buildRequestEventV1(view: RequestView, methodArn: string): Record<string, unknown> {
  return { type: 'REQUEST', methodArn, ...requestPartsV1(view) }
}

/**
 * HTTP API payload 1.0: the REST shape led by `version`, with the identity values joined by
 * commas both as `identitySource` and as `authorizationToken`.
 */
export function buildHttpRequestEventV1(
  view: RequestView,
  routeArn: string,
  identityValues: readonly string[],
): Record<string, unknown> {
  const joined = identityValues.join(',')
  const { type, methodArn, ...rest } = buildRequestEventV1(view, routeArn)
  return { version: '1.0', type, methodArn, identitySource: joined, authorizationToken: joined, ...rest }
}
