// The dev org's REST API slice (`/services/data/...`): versions, sObjects, upsert, SOQL,
// files and platform event publish, stored in SQLite. The OAuth side authenticates tokens
// and routes every `/services/data` request here.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DatabaseSync } from 'node:sqlite'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Faults } from '../faults.ts'
import type { DevOrgSeed } from '../seed/seed-types.ts'
import { createApiUsage, DAILY_API_LIMIT } from './api-usage.ts'
import { checkVersion, versionList } from './api-versions.ts'
import { handleCollections } from './collections.ts'
import { bearerToken, sendJson } from './http-io.ts'
import { createEventLog, type PublishedEvent } from './platform-events.ts'
import { createQueryCursors } from './query-cursors.ts'
import { handleQuery } from './query-routes.ts'
import { normalizeId } from './record-id.ts'
import { createRecordStore } from './record-store.ts'
import type { WriteContext } from './record-writer.ts'
import { errors, RestError } from './rest-errors.ts'
import { loadSeedRecords } from './seed-loader.ts'
import { handleSobjects } from './sobject-routes.ts'
import { buildSchema } from './sobject-schema.ts'

export type RestIdentity = {
  userId: string
  orgId: string
  username: string
  clientId: string
  scopes: string[]
}

export type RestApiDeps = {
  db: DatabaseSync
  orgId: string
  /** Public base URL of the dev org; record and paging URLs are relative, as a real org's are. */
  baseUrl: () => string
  authenticate(token: string): RestIdentity | null
  seed: DevOrgSeed
  faults: Faults
  /** Clock for audit fields and the daily counter; tests may pin it. */
  now?: () => Date
  /** Where unexpected failures (answered 500 UNKNOWN_EXCEPTION) are reported. */
  log?: (line: string) => void
  /** Owner and creator of seed records; seed users carry no id, so the OAuth side knows it. */
  seedUserId?: string
}

export type RestApi = {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
  publishedEvents(): readonly PublishedEvent[]
}

const SEED_USER = '005000000000000AAA'

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

export function createRestApi(deps: RestApiDeps): RestApi {
  const now = deps.now ?? (() => new Date())
  const schema = buildSchema(deps.seed)
  const store = createRecordStore(deps.db)
  const usage = createApiUsage(store, now)
  const cursors = createQueryCursors(() => now().getTime())
  const events = createEventLog()
  const seedUserId = deps.seedUserId ?? deps.seed.users.find((u) => u.id !== undefined)?.id
  const seedUser = (seedUserId && normalizeId(seedUserId)) || SEED_USER
  loadSeedRecords({ schema, store, userId: seedUser, now }, deps.seed)

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .slice(2)
    const [versionSegment, resource, ...rest] = segments
    if (versionSegment === undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw errors.methodNotAllowed(req.method ?? '', ['GET'])
      return sendJson(res, 200, versionList())
    }
    const version = checkVersion(versionSegment)
    if (version.kind === 'unknown') throw errors.notFound()
    if (version.kind === 'retired') throw errors.gone()

    const token = bearerToken(req.headers.authorization)
    const identity = token ? deps.authenticate(token) : null
    if (!identity) throw errors.invalidSession()
    const used = usage.count()
    res.setHeader('Sforce-Limit-Info', usage.header(used))
    if (deps.faults.requestLimitExceeded || used > DAILY_API_LIMIT) throw errors.requestLimitExceeded()

    const write: WriteContext = { schema, store, userId: identity.userId, now }
    const sobjectContext = { write, version: version.version, major: version.major, events, req, res, url }
    switch (resource) {
      case undefined:
        return sendJson(res, 200, resourceDirectory(version.version))
      case 'sobjects':
        return handleSobjects(sobjectContext, rest)
      case 'composite':
        if (rest[0] !== 'sobjects') throw errors.notFound()
        return handleCollections(sobjectContext, rest.slice(1))
      case 'query':
      case 'queryAll':
        return handleQuery(
          { schema, store, cursors, version: version.version, now, req, res, url },
          rest,
          resource === 'queryAll',
        )
      case 'limits':
        return sendJson(res, 200, {
          DailyApiRequests: { Max: DAILY_API_LIMIT, Remaining: Math.max(0, DAILY_API_LIMIT - used) },
        })
      default:
        throw errors.notFound()
    }
  }

  return {
    publishedEvents: () => events.events(),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://devorg.invalid')
      try {
        if (deps.faults.slowMs > 0) await sleep(deps.faults.slowMs)
        if (deps.faults.unavailable) throw errors.serverUnavailable()
        await route(req, res, url)
      } catch (err) {
        if (res.headersSent) {
          res.destroy(err as Error)
          return
        }
        if (!(err instanceof RestError)) {
          deps.log?.(`rest: ${req.method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}`)
        }
        const restError = err instanceof RestError ? err : errors.unknown()
        sendJson(res, restError.status, restError.body)
      }
    },
  }
}
