// `/query?q=`, `/queryAll?q=` and the paging locators under them.

import { batchSizeFrom, type QueryCursors } from './query-cursors.ts'
import { accessOf, type WriteContext } from './record-writer.ts'
import { errors } from './rest-errors.ts'
import {
  allowMethods,
  headerValue,
  jsonResponse,
  type RestRequest,
  type RestResponse,
} from './rest-exchange.ts'
import { executeSoql } from './soql-executor.ts'
import { parseSoql } from './soql-parser.ts'

export type QueryContext = { write: WriteContext; cursors: QueryCursors; version: string; req: RestRequest }

export function handleQuery(ctx: QueryContext, segments: string[], includeDeleted: boolean): RestResponse {
  allowMethods(ctx.req, ['GET', 'HEAD'])
  const [locator, ...extra] = segments
  if (extra.length > 0) throw errors.notFound()
  if (locator !== undefined) return jsonResponse(200, ctx.cursors.more(locator, ctx.version))
  const soql = ctx.req.url.searchParams.get('q')
  if (soql === null) throw errors.malformedQuery('The query string parameter q is required')
  const { schema, store, now } = ctx.write
  const access = accessOf(ctx.write)
  const outcome = executeSoql(
    { schema, store, version: ctx.version, includeDeleted, now, canRead: access.canRead },
    parseSoql(soql),
  )
  const batchSize = batchSizeFrom(headerValue(ctx.req, 'sforce-query-options'))
  return jsonResponse(200, ctx.cursors.first(outcome.records, outcome.totalSize, batchSize, ctx.version))
}
