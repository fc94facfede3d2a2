import type { EventBody } from './event-body.ts'
import { requestPartsV1 } from './request-parts-v1.ts'
import type { RequestView } from './request-view.ts'

/**
 * The Lambda proxy event of REST APIs and HTTP API payload 1.0. `resource` is the matched
 * template, `path` the concrete path without the stage; empty maps are `null`.
 */
export function buildProxyEventV1(
  view: RequestView,
  body: EventBody,
  authorizer: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const parts = requestPartsV1(view)
  if (authorizer !== undefined) parts.requestContext.authorizer = authorizer
  return { ...parts, body: body.body, isBase64Encoded: body.isBase64Encoded }
}
