// Routes an authenticated call under `/services/data/vNN.N/` to its resource. Composite
// subrequests come back through here, so they reach exactly what a direct call would.

import { DAILY_API_LIMIT } from './api-usage.ts'
import { checkVersion } from './api-versions.ts'
import { handleCollections } from './collections.ts'
import { handleComposite } from './composite.ts'
import type { EventLog } from './platform-events.ts'
import type { QueryCursors } from './query-cursors.ts'
import { handleQuery } from './query-routes.ts'
import type { WriteContext } from './record-writer.ts'
import { errors } from './rest-errors.ts'
import { jsonResponse, type RestRequest, type RestResponse } from './rest-exchange.ts'
import { handleSobjects } from './sobject-routes.ts'

export type CallContext = { write: WriteContext; events: EventLog; cursors: QueryCursors; apiUsed: number }

function resourceDirectory(version: string): Record<string, string> {
  const base = `/services/data/v${version}`
  return {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    limits: `${base}/limits`,
    composite: `${base}/composite`,
  }
}

/** Path segments of a `/services/data/...` URL after `data`, or a 404. */
export function dataSegments(url: URL): string[] {
  const [services, data, ...rest] = url.pathname.split('/').filter((s) => s !== '')
  if (services !== 'services' || data !== 'data') throw errors.notFound()
  return rest
}

/** The version named in the path, or the error a retired or unknown version gets. */
export function versionOf(segment: string): { version: string; major: number } {
  const check = checkVersion(segment)
  if (check.kind === 'unknown') throw errors.notFound()
  if (check.kind === 'retired') throw errors.gone()
  return check
}

export function dispatch(call: CallContext, req: RestRequest): RestResponse {
  const [versionSegment = '', resource, ...rest] = dataSegments(req.url)
  const { version, major } = versionOf(versionSegment)
  const sobjects = { write: call.write, version, major, events: call.events, req }
  switch (resource) {
    case undefined:
      return jsonResponse(200, resourceDirectory(version))
    case 'sobjects':
      return handleSobjects(sobjects, rest)
    case 'query':
    case 'queryAll':
      return handleQuery(
        { write: call.write, cursors: call.cursors, version, req },
        rest,
        resource === 'queryAll',
      )
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(sobjects, rest.slice(1))
      if (rest.length > 0) throw errors.notFound()
      return handleComposite({ req, store: call.write.store, events: call.events }, (sub) =>
        dispatch(call, sub),
      )
    case 'limits':
      return jsonResponse(200, {
        DailyApiRequests: { Max: DAILY_API_LIMIT, Remaining: Math.max(0, DAILY_API_LIMIT - call.apiUsed) },
      })
    default:
      throw errors.notFound()
  }
}
