// The dev org's REST API slice (`/services/data/...`): versions, sObjects, upsert, SOQL,
// collections, composite, files and platform event publish, stored in SQLite. The OAuth side
// authenticates tokens and routes every `/services/data` request here.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DatabaseSync } from 'node:sqlite'
import { setTimeout as sleep } from 'node:timers/promises'
import { Directory } from '../directory.ts'
import { createEventBus, type EventBus } from '../events/event-bus.ts'
import type { Faults } from '../faults.ts'
import type { DevOrgSeed } from '../seed/seed-types.ts'
import { createApiUsage, DAILY_API_LIMIT } from './api-usage.ts'
import { versionList } from './api-versions.ts'
import { callOptionsClient, changeSink } from './change-capture.ts'
import { allowSaveRequested, compileDuplicateRules, duplicateChecker } from './duplicate-rules.ts'
import { bearerToken, readBody, sendJson, writeResponse } from './http-io.ts'
import { createEventLog, type PublishedEvent } from './platform-events.ts'
import { createQueryCursors } from './query-cursors.ts'
import { createRecordAccess } from './record-access.ts'
import { normalizeId } from './record-id.ts'
import { createRecordStore } from './record-store.ts'
import type { WriteContext } from './record-writer.ts'
import { errors, RestError } from './rest-errors.ts'
import { dataSegments, dispatch, versionOf } from './rest-router.ts'
import { loadSeedRecords } from './seed-loader.ts'
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
  /** The org's event bus, shared with the Pub/Sub API; one on `db` is made when absent. */
  eventBus?: EventBus
}

export type RestApi = {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
  publishedEvents(): readonly PublishedEvent[]
}

const SEED_USER = '005000000000000AAA'

export function createRestApi(deps: RestApiDeps): RestApi {
  const now = deps.now ?? (() => new Date())
  const schema = buildSchema(deps.seed)
  const store = createRecordStore(deps.db)
  const usage = createApiUsage(store, now)
  const cursors = createQueryCursors(() => now().getTime())
  const bus = deps.eventBus ?? createEventBus({ db: deps.db, schema })
  const events = createEventLog(bus)
  const users = new Directory(deps.seed).users
  const duplicateRules = compileDuplicateRules(schema, deps.seed.duplicateRules)
  const seedUserId = deps.seedUserId ?? deps.seed.users.find((u) => u.id !== undefined)?.id
  const seedUser = (seedUserId && normalizeId(seedUserId)) || SEED_USER
  const userIds = new Map(users.map((u) => [u.username.toLowerCase(), u.id] as const))
  loadSeedRecords({ schema, store, userId: seedUser, now }, deps.seed, userIds)

  /** How this caller writes: their sharing, the org's duplicate rules, change events. */
  function writeContext(req: IncomingMessage, userId: string, version: string): WriteContext {
    const header = (name: string) => {
      const value = req.headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    const allData = users.some((u) => u.id === userId && u.modifyAllData === true)
    const allowSave = allowSaveRequested(header('sforce-duplicate-rule-header'))
    const client = callOptionsClient(header('sforce-call-options'))
    return {
      schema,
      store,
      userId,
      now,
      access: createRecordAccess(store, userId, allData),
      checkDuplicates: duplicateChecker(duplicateRules, store, version, allowSave),
      onChange: changeSink(bus, userId, { version, client }, now),
    }
  }

  /** Counts a counted fault switch down; true while it still had calls to fail. */
  function takeOne(key: 'requestLimitExceededNext' | 'unavailableNext'): boolean {
    const left = deps.faults[key] ?? 0
    if (left <= 0) return false
    deps.faults[key] = left - 1
    return true
  }

  /**
   * Answers the version list, or checks version, token and allowance before any body is read;
   * returns who is calling and how many calls the org has made today.
   */
  function admit(
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
  ): { userId: string; apiUsed: number; version: string } | null {
    const [versionSegment] = dataSegments(url)
    if (versionSegment === undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw errors.methodNotAllowed(req.method ?? '', ['GET'])
      sendJson(res, 200, versionList())
      return null
    }
    const { version } = versionOf(versionSegment)
    const token = bearerToken(req.headers.authorization)
    const identity = token ? deps.authenticate(token) : null
    if (!identity) throw errors.invalidSession()
    const apiUsed = usage.count()
    res.setHeader('Sforce-Limit-Info', usage.header(apiUsed))
    if (deps.faults.requestLimitExceeded || apiUsed > DAILY_API_LIMIT || takeOne('requestLimitExceededNext'))
      throw errors.requestLimitExceeded()
    return { userId: identity.userId, apiUsed, version }
  }

  return {
    publishedEvents: () => events.events(),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://devorg.invalid')
      try {
        if (deps.faults.slowMs > 0) await sleep(deps.faults.slowMs)
        if (deps.faults.unavailable || takeOne('unavailableNext')) throw errors.serverUnavailable()
        const caller = admit(req, url, res)
        if (!caller) return
        const body = await readBody(req)
        const call = {
          write: writeContext(req, caller.userId, caller.version),
          events,
          cursors,
          apiUsed: caller.apiUsed,
        }
        // From here on the call is synchronous: see rest-exchange.ts.
        await writeResponse(
          res,
          dispatch(call, { method: req.method ?? 'GET', url, headers: req.headers, body }),
        )
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
