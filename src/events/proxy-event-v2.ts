import type { EventBody } from './event-body.ts'
import { v2HeadersAndCookies } from './header-maps.ts'
import { v2QueryMap } from './query-maps.ts'
import { requestContextV2 } from './request-context.ts'
import { nonEmptyOrNull, type RequestView } from './request-view.ts'

/** The HTTP API payload 2.0 event; optional keys are left out when they have no value, as AWS does. */
export function buildProxyEventV2(
  view: RequestView,
  body: EventBody,
  authorizer: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const { headers, cookies } = v2HeadersAndCookies(view.request)
  const requestContext = requestContextV2(view)
  if (authorizer !== undefined) requestContext.authorizer = authorizer
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: view.routeKey,
    rawPath: view.request.path,
    rawQueryString: view.request.rawQuery,
  }
  if (cookies !== undefined) event.cookies = cookies
  event.headers = headers
  const query = v2QueryMap(view.request.rawQuery)
  if (query !== undefined) event.queryStringParameters = query
  event.requestContext = requestContext
  if (body.body !== null) event.body = body.body
  const pathParameters = nonEmptyOrNull(view.pathParameters)
  if (pathParameters !== null) event.pathParameters = pathParameters
  event.isBase64Encoded = body.isBase64Encoded
  const stageVariables = nonEmptyOrNull(view.stageVariables)
  if (stageVariables !== null) event.stageVariables = stageVariables
  return event
}
