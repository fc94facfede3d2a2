import type { EventBody } from './event-body.ts'
import { v1HeaderMaps } from './header-maps.ts'
import { v1QueryMaps } from './query-maps.ts'
import { requestContextV1 } from './request-context.ts'
import { nonEmptyOrNull, type RequestView } from './request-view.ts'

/**
 * The Lambda proxy event of REST APIs and HTTP API payload 1.0. `resource` is the matched
 * template, `path` the concrete path without the stage; empty maps are `null`.
 */
export function buildProxyEventV1(
  view: RequestView,
  body: EventBody,
  authorizer: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const { headers, multiValueHeaders } = v1HeaderMaps(view.request)
  const { queryStringParameters, multiValueQueryStringParameters } = v1QueryMaps(view.request.rawQuery)
  const requestContext = requestContextV1(view)
  if (authorizer !== undefined) requestContext.authorizer = authorizer
  return {
    resource: view.resourcePath,
    path: view.request.path,
    httpMethod: view.request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: nonEmptyOrNull(view.pathParameters),
    stageVariables: nonEmptyOrNull(view.stageVariables),
    requestContext,
    body: body.body,
    isBase64Encoded: body.isBase64Encoded,
  }
}
