import { existsSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DatabaseSync } from 'node:sqlite'
import type { Faults } from './faults.ts'
import type { TokenIdentity } from './oauth/access-token-lookup.ts'
import type { DevOrgSeed } from './seed/seed-types.ts'

export type RestDeps = {
  db: DatabaseSync
  orgId: string
  baseUrl: () => string
  authenticate(token: string): TokenIdentity | null
  seed: DevOrgSeed
  faults: Faults
}

export type RestApi = { handle(req: IncomingMessage, res: ServerResponse): Promise<void> }

type RestModule = { createRestApi(deps: RestDeps): RestApi }

const REST_ENTRY = new URL('./rest/index.ts', import.meta.url)

/** The REST slice, when present; otherwise a stand-in that answers every call with 404. */
export async function loadRestApi(deps: RestDeps): Promise<RestApi> {
  if (existsSync(REST_ENTRY)) {
    const mod = (await import(REST_ENTRY.href)) as RestModule
    return mod.createRestApi(deps)
  }
  return {
    async handle(_req, res) {
      res.writeHead(404, { 'content-type': 'application/json;charset=UTF-8' })
      res.end(JSON.stringify([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]))
    },
  }
}
