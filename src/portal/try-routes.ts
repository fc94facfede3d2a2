import { myApps, ownApp } from './app-routes.ts'
import { noReferrer, sendHtml, sendRedirect } from './http-io.ts'
import { LoginError } from './org-client.ts'
import { type TryResult, tryPage, tryResultPage } from './pages/try-pages.ts'
import { fail, type PortalContext, type PortalRequest, signedIn, signedInForm } from './portal-context.ts'
import { pathAndQuery } from './same-origin-url.ts'
import { carriesBody, prettyBody, type TryRoute, tryMethod } from './try-request.ts'
import { tryTarget } from './try-target.ts'

/**
 * "Try it": the portal runs the authorization code flow for one of the user's own apps (so
 * the token is exactly what that app would get), keeps the token with the session, and sends a
 * request (a route of the API's document, a JSON body for methods that carry one) with it, showing the request, the response and the gateway's decisions.
 * The app's secret is asked for because the portal never keeps one; it lives in the login
 * transaction (single use, minutes) only until the code is exchanged. The token only ever goes
 * to the configured gateway origin (`tryTarget`), whatever path a form or a link brings.
 */

const BODY_LIMIT = 64 * 1024
const CALL_TIMEOUT_MS = 10_000
/** Salesforce gives no `expires_in`; the org's default session timeout is two hours. */
const TOKEN_KEEP_MS = 2 * 3600 * 1000

function tokenFor(data: Readonly<Record<string, string>>, clientId: string, now: number): string | undefined {
  if (data.tryClientId !== clientId || data.tryToken === undefined) return undefined
  return Number(data.tryUntil) > now ? data.tryToken : undefined
}

export async function tryRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const apps = await myApps(ctx, who)
  const wanted = r.url.searchParams.get('app') ?? who.session.data.tryClientId ?? apps[0]?.clientId
  const app = apps.find((a) => a.clientId === wanted)
  const offered = ctx.deps.apis?.find((o) => app?.contracts.some((c) => c.api === o.name))?.tryPath
  // A link may pre-fill the path; one that would leave the gateway is replaced, never shown.
  const asked = r.url.searchParams.get('path') ?? undefined
  const target = tryTarget(asked, ctx.gatewayOrigin)
  // A route's template (`/orders/{orderId}`) is shown as written for the user to fill in; the
  // call checks the path again whatever the form brings.
  const path =
    target !== undefined && asked !== undefined ? asked : pathOf(tryTarget(offered, ctx.gatewayOrigin))
  const hasToken = app !== undefined && tokenFor(who.session.data, app.clientId, ctx.clock()) !== undefined
  const method = tryMethod(r.url.searchParams.get('method'))
  sendHtml(
    r.res,
    200,
    tryPage(who.viewer, apps, { app, hasToken, path, method, routes: apiRoutes(ctx) }),
    ctx.headers,
  )
}

function pathOf(target: URL | undefined): string {
  return target === undefined ? '/' : pathAndQuery(target)
}

/** The API's own routes, as its document declares them (the gateway's own paths are not the API). */
function apiRoutes(ctx: PortalContext): readonly TryRoute[] {
  return (ctx.deps.routes ?? []).filter(
    (r) => r.method !== 'OPTIONS' && !r.path.startsWith('/portal') && !r.path.startsWith('/_forcegate'),
  )
}

export async function tryAuthorizeRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, who.form.get('app') ?? undefined)
  if (app === undefined) return
  const clientSecret = who.form.get('clientSecret') ?? ''
  const scopes = app.grantedScopes.filter((s) => s !== 'refresh_token' && s !== 'offline_access')
  try {
    const redirect = await ctx.login.beginCodeFlow(r.req, {
      purpose: 'try',
      returnTo: `/portal/try?app=${encodeURIComponent(app.clientId)}`,
      redirectUri: ctx.tryCallback,
      scope: (scopes.length > 0 ? scopes : ['api']).join(' '),
      as: { clientId: app.clientId, clientSecret },
      data: {
        clientId: app.clientId,
        clientSecret,
        owner: who.session.key,
        openid: scopes.includes('openid') ? '1' : '0',
      },
    })
    sendRedirect(r.res, redirect, ctx.headers)
  } catch (err) {
    if (err instanceof LoginError && err.kind === 'unreachable')
      return fail(ctx, r, 'org-unreachable', who.viewer)
    throw err
  }
}

export async function tryCallbackRoute(base: PortalContext, r: PortalRequest): Promise<void> {
  const ctx = { ...base, headers: noReferrer(base.headers) }
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  try {
    const flow = await ctx.login.completeCodeFlow(r.req, r.url.searchParams, {
      purpose: 'try',
      redirectUri: ctx.tryCallback,
      as: (tx) => ({ clientId: tx.data.clientId ?? '', clientSecret: tx.data.clientSecret ?? '' }),
      expectIdToken: (tx) => tx.data.openid === '1',
    })
    if (flow.transaction.data.owner !== who.session.key) throw new LoginError('invalid', 'try.other_session')
    await ctx.login.saveData(who.session, {
      ...who.session.data,
      tryClientId: flow.transaction.data.clientId ?? '',
      tryToken: flow.accessToken,
      tryUntil: String(ctx.clock() + TOKEN_KEEP_MS),
    })
    sendRedirect(
      r.res,
      { location: ctx.login.safeReturnTo(flow.transaction.returnTo), cookies: [] },
      ctx.headers,
    )
  } catch (err) {
    if (!(err instanceof LoginError)) throw err
    ctx.deps.log?.({ reason: err.reason }, 'try-it code flow failed')
    if (err.kind === 'unreachable') return fail(ctx, r, 'org-unreachable', who.viewer)
    const apps = await myApps(ctx, who)
    const error =
      err.kind === 'denied'
        ? 'Salesforce did not grant the app access (the request was denied).'
        : 'The token could not be obtained: check the client secret, and that the app lists the try-it redirect URI.'
    sendHtml(
      r.res,
      err.kind === 'denied' ? 403 : 400,
      tryPage(who.viewer, apps, { app: undefined, hasToken: false, path: '/', error }),
      ctx.headers,
    )
  }
}

function redact(token: string): string {
  return `${token.slice(0, 6)}…(redacted)`
}

export async function tryCallRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, who.form.get('app') ?? undefined)
  if (app === undefined) return
  const token = tokenFor(who.session.data, app.clientId, ctx.clock())
  // Only the configured gateway is ever called: the path is resolved against it first, and the
  // resolved URL must still be the gateway's origin.
  const target = tryTarget(who.form.get('path') ?? undefined, ctx.gatewayOrigin)
  const method = tryMethod(who.form.get('method'))
  const rawBody = who.form.get('body') ?? ''
  const body = carriesBody(method) && rawBody.trim() !== '' ? rawBody : undefined
  if (target === undefined || token === undefined) {
    if (target === undefined) ctx.deps.log?.({ reason: 'try.path_refused' }, 'try-it call refused')
    const apps = await myApps(ctx, who)
    const error =
      target === undefined
        ? `Enter a path on the gateway (${ctx.gatewayOrigin}), such as /orders.`
        : 'Get a token first (step 1).'
    const state = {
      app,
      hasToken: token !== undefined,
      path: target === undefined ? '/' : pathAndQuery(target),
      method,
      body: rawBody,
      routes: apiRoutes(ctx),
      error,
    }
    return sendHtml(r.res, 400, tryPage(who.viewer, apps, state), ctx.headers)
  }
  const path = pathAndQuery(target)
  const common: [string, string][] = [
    ['accept', 'application/json'],
    ...(body === undefined ? [] : ([['content-type', 'application/json']] as [string, string][])),
  ]
  const sent: [string, string][] = [...common, ['authorization', `Bearer ${token}`]]
  const shown: [string, string][] = [...common, ['authorization', `Bearer ${redact(token)}`]]
  // Explained before the call: the call may use the last request of a quota the explanation
  // would then report as exhausted.
  const trail = await ctx.deps.explain?.({ method, target: path, headers: sent }).catch(() => undefined)
  let response: TryResult['response']
  try {
    const answer = await (ctx.deps.fetch ?? fetch)(target.href, {
      method,
      headers: sent,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    })
    const text = await answer.text()
    response = {
      status: answer.status,
      headers: [...answer.headers.entries()],
      body:
        text.length > BODY_LIMIT
          ? `${text.slice(0, BODY_LIMIT)}\n… (truncated)`
          : prettyBody(text, answer.headers.get('content-type') ?? undefined),
    }
  } catch {
    response = { error: `The gateway at ${ctx.gatewayOrigin} could not be reached.` }
  }
  const result: TryResult = {
    request: {
      method,
      url: target.href,
      headers: shown,
      ...(body === undefined ? {} : { body: prettyBody(body, 'application/json') }),
    },
    response,
    trail,
  }
  sendHtml(r.res, 200, tryResultPage(who.viewer, app, { path, method }, result), ctx.headers)
}
