import { noReferrer, sendHtml, sendRedirect } from './http-io.ts'
import { LoginError } from './org-client.ts'
import { landingPage, signedOutPage } from './pages/admin-pages.ts'
import { fail, type PortalContext, type PortalRequest, signedInForm } from './portal-context.ts'

/** Sign in, the callback, sign out and the pages around them. */

export async function homeRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const found = await ctx.login.lookup(r.req.headers.cookie)
  if (found.kind === 'active')
    return sendRedirect(r.res, { location: '/portal/apps', cookies: [] }, ctx.headers)
  if (found.kind === 'expired') return fail(ctx, r, 'session-expired')
  sendHtml(r.res, 200, landingPage(), ctx.headers)
}

export async function loginRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  try {
    const redirect = await ctx.login.beginLogin(r.req, r.url.searchParams.get('return_to') ?? undefined)
    sendRedirect(r.res, redirect, ctx.headers)
  } catch (err) {
    if (err instanceof LoginError && err.kind === 'unreachable') {
      ctx.deps.log?.({ reason: err.reason }, 'sign-in could not start')
      return fail(ctx, r, 'org-unreachable')
    }
    throw err
  }
}

/** Its URL carries the code and state: every answer sends `no-referrer`. */
export async function callbackRoute(base: PortalContext, r: PortalRequest): Promise<void> {
  const ctx = { ...base, headers: noReferrer(base.headers) }
  try {
    const redirect = await ctx.login.finishLogin(r.req, r.url.searchParams)
    sendRedirect(r.res, redirect, ctx.headers)
  } catch (err) {
    if (!(err instanceof LoginError)) throw err
    ctx.deps.log?.({ reason: err.reason, kind: err.kind }, 'sign-in failed')
    fail(
      ctx,
      r,
      err.kind === 'denied'
        ? 'login-denied'
        : err.kind === 'unreachable'
          ? 'org-unreachable'
          : 'login-invalid',
    )
  }
}

/** POST only, with the CSRF token: a cross-site link or image cannot sign anyone out. */
export async function logoutRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  // Without a live session there is nothing to protect: clear the cookie and say so.
  if ((await ctx.login.lookup(r.req.headers.cookie)).kind !== 'active')
    return sendRedirect(r.res, await ctx.login.logout(undefined), ctx.headers)
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  sendRedirect(r.res, await ctx.login.logout(who.session), ctx.headers)
}

export async function signedOutRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  sendHtml(r.res, 200, signedOutPage(r.url.searchParams.get('org') === 'unreachable'), ctx.headers)
}
