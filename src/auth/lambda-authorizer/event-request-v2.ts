import { v2HeadersAndCookies } from '../../events/header-maps.ts'
import { v2QueryMap } from '../../events/query-maps.ts'
import { requestContextV2 } from '../../events/request-context.ts'
import { nonEmptyOrNull, type RequestView } from '../../events/request-view.ts'

/**
 * The HTTP API payload 2.0 REQUEST authorizer event: `routeArn`, identity values as an
 * array in configured order, lower-cased comma-joined headers, `cookies` split out. Keys
 * without a value are left out, as in 2.0 proxy events.
 */
export function buildRequestEventV2(
  view: RequestView,
  routeArn: string,
  identityValues: readonly string[],
): Record<string, unknown> {
  const { headers, cookies } = v2HeadersAndCookies(view.request)
  const event: Record<string, unknown> = {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: [...identityValues],
    routeKey: view.routeKey,
    rawPath: view.request.path,
    rawQueryString: view.request.rawQuery,
  }
  if (cookies !== undefined) event.cookies = cookies
  event.headers = headers
  const query = v2QueryMap(view.request.rawQuery)
  if (query !== undefined) event.queryStringParameters = query
  event.requestContext = requestContextV2(view)
  const pathParameters = nonEmptyOrNull(view.pathParameters)
  if (pathParameters !== null) event.pathParameters = pathParameters
  const stageVariables = nonEmptyOrNull(view.stageVariables)
  if (stageVariables !== null) event.stageVariables = stageVariables
  return event
}
