import type { IncomingMessage, ServerResponse } from 'node:http'
import { adminActionRoute, adminRoute } from './admin-routes.ts'
import {
  confirmDeleteRoute,
  deleteAppRoute,
  listAppsRoute,
  newAppRoute,
  registerAppRoute,
  rotateAppRoute,
  secretOnceRoute,
  showAppRoute,
} from './app-routes.ts'
import { BrowserLogin } from './browser-login.ts'
import { securityHeaders } from './http-io.ts'
import { callbackRoute, homeRoute, loginRoute, logoutRoute, signedOutRoute } from './login-routes.ts'
import { listOpportunitiesRoute, showOpportunityRoute, uploadContractRoute } from './opportunities-routes.ts'
import { createOrgClient } from './org-client.ts'
import { PORTAL_CSS } from './pages/styles.ts'
import { fail, type PortalContext, type PortalRequest } from './portal-context.ts'
import type { PortalDeps } from './portal-deps.ts'
import { tryAuthorizeRoute, tryCallbackRoute, tryCallRoute, tryRoute } from './try-routes.ts'

export interface Portal {
  /** The session cookie's name (`__Host-forcegate-session`, or without the prefix on loopback http). */
  readonly sessionCookieName: string
  /** The redirect URI to register for the portal's connected app. */
  readonly redirectUri: string
  /** The post-logout redirect URI to register for the portal's connected app. */
  readonly postLogoutRedirectUri: string
  /** Serves everything under `/portal`; false (nothing written) for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>
}

type Handler = (ctx: PortalContext, r: PortalRequest) => Promise<void>

const ID = '([A-Za-z0-9._-]{1,200})'

/** Method + anchored path pattern → handler; parameters are the pattern's groups. */
const ROUTES: readonly (readonly [string, RegExp, Handler])[] = [
  ['GET', /^\/portal\/?$/, homeRoute],
  ['GET', /^\/portal\/login$/, loginRoute],
  ['GET', /^\/portal\/callback$/, callbackRoute],
  ['POST', /^\/portal\/logout$/, logoutRoute],
  ['GET', /^\/portal\/signed-out$/, signedOutRoute],
  ['GET', /^\/portal\/apps$/, listAppsRoute],
  ['POST', /^\/portal\/apps$/, registerAppRoute],
  ['GET', /^\/portal\/apps\/new$/, newAppRoute],
  ['GET', new RegExp(`^/portal/apps/${ID}$`), showAppRoute],
  ['POST', new RegExp(`^/portal/apps/${ID}/rotate$`), rotateAppRoute],
  ['GET', new RegExp(`^/portal/apps/${ID}/secret$`), secretOnceRoute],
  ['GET', new RegExp(`^/portal/apps/${ID}/delete$`), confirmDeleteRoute],
  ['POST', new RegExp(`^/portal/apps/${ID}/delete$`), deleteAppRoute],
  ['GET', /^\/portal\/opportunities$/, listOpportunitiesRoute],
  ['GET', new RegExp(`^/portal/opportunities/${ID}$`), showOpportunityRoute],
  ['POST', new RegExp(`^/portal/opportunities/${ID}/contracts$`), uploadContractRoute],
  ['GET', /^\/portal\/try$/, tryRoute],
  ['POST', /^\/portal\/try\/authorize$/, tryAuthorizeRoute],
  ['GET', /^\/portal\/try\/callback$/, tryCallbackRoute],
  ['POST', /^\/portal\/try\/call$/, tryCallRoute],
  ['GET', /^\/portal\/admin$/, adminRoute],
  ['POST', new RegExp(`^/portal/admin/partners/${ID}/approve$`), (c, r) => adminActionRoute(c, r, 'approve')],
  ['POST', new RegExp(`^/portal/admin/partners/${ID}/suspend$`), (c, r) => adminActionRoute(c, r, 'suspend')],
  ['POST', new RegExp(`^/portal/admin/partners/${ID}/resume$`), (c, r) => adminActionRoute(c, r, 'resume')],
]

/**
 * The developer portal at `/portal`: sign in with Salesforce, my apps (registered through the
 * partners service), register / rotate / delete, contracts and usage, "try it", and the admin
 * page. Everything is server-rendered; the only script-free state is the session cookie.
 */
export function createPortal(deps: PortalDeps): Portal {
  const origin = new URL(deps.publicOrigin).origin
  const clock = deps.clock ?? Date.now
  const org = createOrgClient(deps.org, deps.fetch === undefined ? {} : { fetch: deps.fetch })
  const login = new BrowserLogin({
    org,
    sessions: deps.sessions,
    publicOrigin: origin,
    basePath: '/portal',
    clock,
    // The org's REST API (the Opportunities page, as the user) needs the `api` scope.
    ...(deps.opportunities === undefined ? {} : { scope: 'openid profile email api' }),
    ...(deps.sessionSeconds === undefined ? {} : { sessionSeconds: deps.sessionSeconds }),
    ...(deps.idleSeconds === undefined ? {} : { idleSeconds: deps.idleSeconds }),
  })
  const gateway = new URL(deps.gatewayUrl)
  if (gateway.protocol !== 'http:' && gateway.protocol !== 'https:')
    throw new TypeError(`the gateway URL "try it" calls must be http or https, got ${deps.gatewayUrl}`)
  const headers = securityHeaders(new URL(deps.org.issuer).origin)
  const ctx: PortalContext = {
    deps,
    origin,
    login,
    org,
    headers,
    admins: new Set(deps.admins.map((a) => a.toLowerCase())),
    tryCallback: `${origin}/portal/try/callback`,
    gatewayOrigin: gateway.origin,
    clock,
  }

  return {
    sessionCookieName: login.cookies.sessionName,
    redirectUri: login.redirectUri,
    postLogoutRedirectUri: login.postLogoutRedirectUri,
    async handle(req, res) {
      // Only the path is read from the request line; the origin is always the configured one.
      const url = new URL(req.url ?? '/', origin)
      if (url.pathname !== '/portal' && !url.pathname.startsWith('/portal/')) return false
      const r: PortalRequest = { req, res, url, params: [] }
      try {
        if (url.pathname === '/portal/static/portal.css' && req.method === 'GET') {
          res.writeHead(200, {
            'content-type': 'text/css; charset=utf-8',
            'cache-control': 'public, max-age=3600',
            'x-content-type-options': 'nosniff',
          })
          res.end(PORTAL_CSS)
          return true
        }
        let pathMatched = false
        for (const [method, pattern, handler] of ROUTES) {
          const m = pattern.exec(url.pathname)
          if (m === null) continue
          pathMatched = true
          if (method !== req.method) continue
          await handler(ctx, { ...r, params: m.slice(1).map((p) => decodeURIComponent(p)) })
          return true
        }
        if (pathMatched) {
          res.writeHead(405, {
            ...headers,
            allow: ROUTES.filter(([, p]) => p.test(url.pathname))
              .map(([m]) => m)
              .join(', '),
          })
          res.end()
          return true
        }
        fail(ctx, r, 'not-found')
      } catch (err) {
        deps.log?.(
          { err: err instanceof Error ? err.name : 'unknown', path: url.pathname },
          'portal request failed',
        )
        if (!res.headersSent) fail(ctx, r, 'internal')
        else res.destroy()
      }
      return true
    },
  }
}
