// `/query?q=`, `/queryAll?q=` and the paging locators under them.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './http-io.ts'
import { batchSizeFrom, type QueryCursors } from './query-cursors.ts'
import type { RecordStore } from './record-store.ts'
import { errors } from './rest-errors.ts'
import type { Schema } from './sobject-schema.ts'
import { executeSoql } from './soql-executor.ts'
import { parseSoql } from './soql-parser.ts'

export type QueryContext = {
  schema: Schema
  store: RecordStore
  cursors: QueryCursors
  version: string
  now: () => Date
  req: IncomingMessage
  res: ServerResponse
  url: URL
}

export function handleQuery(ctx: QueryContext, segments: string[], includeDeleted: boolean): void {
  const method = ctx.req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed(method, ['GET', 'HEAD'])
  const [locator, ...extra] = segments
  if (extra.length > 0) throw errors.notFound()
  if (locator !== undefined) {
    sendJson(ctx.res, 200, ctx.cursors.more(locator, ctx.version))
    return
  }
  const soql = ctx.url.searchParams.get('q')
  if (soql === null) throw errors.malformedQuery('The query string parameter q is required')
  const outcome = executeSoql(
    { schema: ctx.schema, store: ctx.store, version: ctx.version, includeDeleted, now: ctx.now },
    parseSoql(soql),
  )
  const options = ctx.req.headers['sforce-query-options']
  const batchSize = batchSizeFrom(Array.isArray(options) ? options[0] : options)
  sendJson(ctx.res, 200, ctx.cursors.first(outcome.records, outcome.totalSize, batchSize, ctx.version))
}
