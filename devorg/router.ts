import type { IncomingMessage, ServerResponse } from 'node:http'
import type Provider from 'oidc-provider'
import { handleAdmin } from './admin.ts'
import type { Directory } from './directory.ts'
import { decideFault } from './fault-gate.ts'
import type { Faults } from './faults.ts'
import { BodyTooLarge, parseForm, readBody, replayRequest, sendJson } from './http/body.ts'
import type { LookupDeps } from './oauth/access-token-lookup.ts'
import { discoveryDocument } from './oauth/discovery.ts'
import { handleJwtBearer, JWT_BEARER } from './oauth/grants/jwt-bearer.ts'
import { handleInteraction } from './oauth/interactions.ts'
import { handleIntrospection } from './oauth/introspection.ts'
import type { OrgUrls } from './oauth/org-urls.ts'
import { type ProviderDeps, supportedScopes } from './oauth/provider.ts'
import { handleRevocation } from './oauth/revocation.ts'
import { handleIdentity, handleUserinfo } from './oauth/userinfo.ts'

export type Counters = { introspection: number; userinfo: number; token: number }

/** The REST slice as the router sees it. */
export type RestHandler = { handle(req: IncomingMessage, res: ServerResponse): Promise<void> }

export type RouterDeps = {
  provider: Provider
  providerDeps: ProviderDeps
  lookup: LookupDeps
  urls: OrgUrls
  directory: Directory
  faults: Faults
  counters: Counters
  rest: RestHandler
  log: (line: string) => void
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Dispatches every request: Salesforce-shaped endpoints here, the rest to oidc-provider. */
export function createRouter(d: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const oidc = d.provider.callback()
  const scopes = supportedScopes(d.directory)
  const lookupWithUrls = { ...d.lookup, urls: d.urls }

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', d.urls.base)
    const path = url.pathname
    if (path === '/services/oauth2/introspect') d.counters.introspection++
    else if (path === '/services/oauth2/userinfo') d.counters.userinfo++
    else if (path === '/services/oauth2/token') d.counters.token++

    const fault = decideFault(d.faults, path)
    if (fault.delayMs > 0) await sleep(fault.delayMs)
    if (fault.answer?.raw !== undefined) {
      res.writeHead(fault.answer.status, { 'content-type': 'application/json;charset=UTF-8' })
      return void res.end(fault.answer.raw)
    }
    if (fault.answer) return sendJson(res, fault.answer.status, fault.answer.body)

    if (path.startsWith('/__devorg/')) return handleAdmin(d.faults, req, res, path)
    if (path === '/services/data' || path.startsWith('/services/data/')) return d.rest.handle(req, res)
    if (path === '/.well-known/openid-configuration' && req.method === 'GET') {
      return sendJson(
        res,
        200,
        discoveryDocument(d.urls, scopes, d.directory.seed.initialAccessToken !== undefined),
      )
    }
    if (path === '/services/oauth2/introspect')
      return handleIntrospection({ ...lookupWithUrls, provider: d.provider }, req, res)
    if (path === '/services/oauth2/userinfo') return handleUserinfo(lookupWithUrls, req, res, url)
    if (path.startsWith('/id/') && path !== '/id/keys') return handleIdentity(lookupWithUrls, req, res, url)
    if (path === '/services/oauth2/revoke') return handleRevocation(d.lookup, req, res, url)
    if (path.startsWith('/interaction/')) {
      if (await handleInteraction(d.provider, d.directory, req, res, path)) return
    }
    if (path === '/services/oauth2/token' && req.method === 'POST') {
      const body = await readBody(req)
      const form = parseForm(body)
      if (form.get('grant_type') === JWT_BEARER) return handleJwtBearer(d.provider, d.providerDeps, form, res)
      return oidc(replayRequest(req, body), res)
    }
    return oidc(req, res)
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (error instanceof BodyTooLarge)
        return sendJson(res, 413, { error: 'invalid_request', error_description: 'body too large' })
      d.log(
        `devorg: unexpected error on ${req.method} ${(req.url ?? '').split('?')[0]}: ${(error as Error).message}`,
      )
      sendJson(res, 500, [{ message: 'An unexpected error occurred', errorCode: 'UNKNOWN_EXCEPTION' }])
    })
  }
}
