import { v1HeaderMaps } from './header-maps.ts'
import { v1QueryMaps } from './query-maps.ts'
import { requestContextV1 } from './request-context.ts'
import { nonEmptyOrNull, type RequestView } from './request-view.ts'

/**
 * The request as payload 1.0 describes it, in AWS's key order: shared by the proxy event and
 * the REQUEST authorizer event, which differ only in what surrounds these keys.
 */
export function requestPartsV1(
  view: RequestView,
): Record<string, unknown> & { requestContext: Record<string, unknown> } {
  const { headers, multiValueHeaders } = v1HeaderMaps(view.request)
  const { queryStringParameters, multiValueQueryStringParameters } = v1QueryMaps(view.request.rawQuery)
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
    requestContext: requestContextV1(view),
  }
}
