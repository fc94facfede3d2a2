import type { IncomingMessage, ServerResponse } from 'node:http'
import type { BrowserLogin } from './browser-login.ts'
import { FormTooLarge, readForm, sendHtml, sendRedirect } from './http-io.ts'
import type { OrgClient } from './org-client.ts'
import { type Failure, failurePage } from './pages/failure-pages.ts'
import type { Viewer } from './pages/layout.ts'
import type { PortalDeps } from './portal-deps.ts'
import { sameSecret } from './secrets.ts'
import type { BrowserSession } from './session-store.ts'

/** What every portal route handler works with, built once by `createPortal`. */
export interface PortalContext {
  readonly deps: PortalDeps
  readonly origin: string
  readonly login: BrowserLogin
  readonly org: OrgClient
  readonly headers: Record<string, string>
  readonly admins: ReadonlySet<string>
  readonly tryCallback: string
  /** The only origin "try it" sends a token to (the configured gateway's). */
  readonly gatewayOrigin: string
  readonly clock: () => number
}

/** One request as routes see it. */
export interface PortalRequest {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly url: URL
  /** Route parameters, decoded. */
  readonly params: readonly string[]
}

export interface SignedIn {
  readonly session: BrowserSession
  readonly viewer: Viewer
}

export function viewerOf(ctx: PortalContext, session: BrowserSession): Viewer {
  return {
    displayName: session.displayName,
    username: session.username,
    csrfToken: session.csrfToken,
    isAdmin: ctx.admins.has(session.username.toLowerCase()),
    opportunities: ctx.deps.opportunities !== undefined,
  }
}

export function fail(ctx: PortalContext, r: PortalRequest, failure: Failure, viewer?: Viewer): void {
  const returnTo = r.req.method === 'GET' ? r.url.pathname + r.url.search : '/portal/'
  const out = failurePage(failure, returnTo, viewer)
  const headers = failure === 'org-unreachable' ? { ...ctx.headers, 'retry-after': '30' } : ctx.headers
  sendHtml(r.res, out.status, out.body, headers)
}

/**
 * The signed-in user, or undefined after answering: a page GET without a session goes to
 * sign-in and comes back; anything else with an ended session gets the "session ended" page.
 */
export async function signedIn(ctx: PortalContext, r: PortalRequest): Promise<SignedIn | undefined> {
  const found = await ctx.login.lookup(r.req.headers.cookie)
  if (found.kind === 'active') return { session: found.session, viewer: viewerOf(ctx, found.session) }
  if (found.kind === 'none' && r.req.method === 'GET') {
    const back = encodeURIComponent(r.url.pathname + r.url.search)
    sendRedirect(r.res, { location: `/portal/login?return_to=${back}`, cookies: [] }, ctx.headers)
    return undefined
  }
  fail(ctx, r, 'session-expired')
  return undefined
}

/**
 * A state-changing form from a signed-in user: the session's CSRF token must come back in the
 * form, and a browser's `Origin` (when sent) must be ours. Answers and returns undefined when not.
 */
export async function signedInForm(
  ctx: PortalContext,
  r: PortalRequest,
): Promise<(SignedIn & { readonly form: URLSearchParams }) | undefined> {
  let form: URLSearchParams
  try {
    form = await readForm(r.req)
  } catch (err) {
    if (err instanceof FormTooLarge) {
      fail(ctx, r, 'too-large')
      return undefined
    }
    throw err
  }
  const who = await signedIn(ctx, r)
  if (who === undefined) return undefined
  const origin = r.req.headers.origin
  const token = form.get('csrf') ?? ''
  if ((origin !== undefined && origin !== ctx.origin) || !sameSecret(token, who.session.csrfToken)) {
    ctx.deps.log?.(
      { reason: token === '' ? 'csrf.missing' : 'csrf.mismatch', path: r.url.pathname },
      'form refused',
    )
    fail(ctx, r, 'csrf', who.viewer)
    return undefined
  }
  return { ...who, form }
}

export function isAdmin(ctx: PortalContext, who: SignedIn): boolean {
  return ctx.admins.has(who.session.username.toLowerCase())
}

/** Apps belong to the user who registered them: the partners service keeps the username as contact. */
export function owns(who: SignedIn, contact: string | undefined): boolean {
  return contact !== undefined && contact.toLowerCase() === who.session.username.toLowerCase()
}
