import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type AdminAnswer,
  AdminHttpError,
  checkAdminToken,
  errorAnswer,
  parseJsonBody,
  sendJson,
} from './admin-http.ts'
import type { PartnerService } from './partner-service.ts'
import { ADMIN_BASE_PATH } from './partners-config.ts'
import type { RegistrationInput } from './registration-input.ts'

export interface PartnersAdminApiOptions {
  readonly service: PartnerService
  /** The admin bearer token; at least 16 characters. */
  readonly adminToken: string
  readonly maxBodyBytes?: number
  readonly basePath?: string
  /** Called with each failure that became a 5xx, for logs; never given a secret. */
  readonly onError?: (error: unknown) => void
}

/**
 * Answers a request under the base path, given its body as the gateway read it; resolves false
 * for any other path. `maxBodyBytes` is the cap the gateway reads the body with.
 */
export interface AdminHandler {
  (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>
  readonly maxBodyBytes: number
}

type Route = (req: IncomingMessage, params: readonly string[], body: Buffer) => Promise<AdminAnswer>

const ACTIONS = new Set(['rotate', 'suspend', 'resume'])

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new AdminHttpError(400, 'ADMIN_BAD_PATH', 'the path is not valid percent-encoding')
  }
}

/**
 * The partners admin API under `/_forcegate/partners`:
 *   POST /                               register (201, credentials shown once)
 *   GET  /                               list
 *   GET  /:clientId                      show
 *   DELETE /:clientId[?force=true]       delete at the org, then locally
 *   POST /:clientId/rotate|suspend|resume    suspend and resume act on the client's partner
 *   POST /:clientId/contracts/:api/approve   optional body {"usagePlan": "<plan>"}
 * Resolves true when the request was under the base path (and answered), false otherwise.
 */
export function createPartnersAdminApi(options: PartnersAdminApiOptions): AdminHandler {
  if (options.adminToken.length < 16) throw new RangeError('the admin token must have at least 16 characters')
  const base = options.basePath ?? ADMIN_BASE_PATH
  const maxBodyBytes = options.maxBodyBytes ?? 65_536
  const { service } = options

  const routes: Record<string, Route> = {
    'GET /': async () => ({ status: 200, body: { partners: await service.list() } }),
    'POST /': async (req, _params, raw) => {
      const body = parseJsonBody(req, raw, maxBodyBytes)
      // The service validates the shape and names the faulty field.
      return { status: 201, body: await service.register(body as RegistrationInput) }
    },
    'GET /:id': async (_req, [id]) => ({ status: 200, body: { partner: await service.show(id!) } }),
    'DELETE /:id': async (req, [id]) => {
      const force = new URL(req.url ?? '/', 'http://admin').searchParams.get('force') === 'true'
      return { status: 200, body: await service.delete(id!, { force }) }
    },
    'POST /:id/rotate': async (_req, [id]) => ({ status: 200, body: await service.rotate(id!) }),
    'POST /:id/suspend': async (_req, [id]) => ({
      status: 200,
      body: { partner: await service.suspend(id!) },
    }),
    'POST /:id/resume': async (_req, [id]) => ({ status: 200, body: { partner: await service.resume(id!) } }),
    'POST /:id/contracts/:api/approve': async (req, [id, api], raw) => {
      // Optional body: {"usagePlan": "<plan>"}, the plan the contract is approved under.
      const body = hasBody(req) ? parseJsonBody(req, raw, maxBodyBytes) : {}
      const plan = (body as { usagePlan?: unknown } | null)?.usagePlan
      if (plan !== undefined && typeof plan !== 'string')
        throw new AdminHttpError(400, 'PARTNER_INVALID_INPUT', 'usagePlan: expected a string')
      return { status: 200, body: { partner: await service.approveContract(id!, api!, plan) } }
    },
  }

  function match(
    method: string,
    rest: readonly string[],
  ): { route: Route; params: string[] } | { allow: string } {
    let pattern: string
    let params: string[] = []
    if (rest.length === 0) pattern = '/'
    else if (rest.length === 1) {
      pattern = '/:id'
      params = [decode(rest[0]!)]
    } else if (rest.length === 2 && ACTIONS.has(rest[1]!)) {
      pattern = `/:id/${rest[1]}`
      params = [decode(rest[0]!)]
    } else if (rest.length === 4 && rest[1] === 'contracts' && rest[3] === 'approve') {
      pattern = '/:id/contracts/:api/approve'
      params = [decode(rest[0]!), decode(rest[2]!)]
    } else throw new AdminHttpError(404, 'ADMIN_NOT_FOUND', 'no such admin resource')
    const route = routes[`${method} ${pattern}`]
    if (route !== undefined) return { route, params }
    const allow = Object.keys(routes)
      .filter((key) => key.endsWith(` ${pattern}`))
      .map((key) => key.split(' ')[0])
      .join(', ')
    return { allow }
  }

  const handler = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0]!
    if (path !== base && !path.startsWith(`${base}/`)) return false
    let answer: AdminAnswer
    try {
      checkAdminToken(req, options.adminToken)
      const rest = path.slice(base.length).split('/').filter(Boolean)
      const found = match(req.method ?? 'GET', rest)
      if ('allow' in found)
        throw new AdminHttpError(405, 'ADMIN_METHOD_NOT_ALLOWED', 'method not allowed here', {
          allow: found.allow,
        })
      answer = await found.route(req, found.params, body)
    } catch (error) {
      answer = errorAnswer(error)
      if (answer.status >= 500) options.onError?.(error)
    }
    sendJson(res, answer)
    return true
  }
  return Object.assign(handler, { maxBodyBytes })
}
