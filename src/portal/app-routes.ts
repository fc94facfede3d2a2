import { isDcrError } from '../partners/dcr-error.ts'
import { isPartnerError } from '../partners/partner-error.ts'
import type { PartnerView } from '../partners/partner-service.ts'
import { selfServiceContracts } from '../partners/self-service.ts'
import { sendHtml, sendRedirect } from './http-io.ts'
import {
  appPage,
  appsPage,
  type ContractRow,
  EMPTY_REGISTER_FORM,
  type RegisterForm,
  registerPage,
  secretOncePage,
} from './pages/app-pages.ts'
import {
  fail,
  owns,
  type PortalContext,
  type PortalRequest,
  type SignedIn,
  signedIn,
  signedInForm,
} from './portal-context.ts'

/** My apps: list, one app with its contracts and usage, register, rotate, delete. */

export async function myApps(ctx: PortalContext, who: SignedIn): Promise<readonly PartnerView[]> {
  return (await ctx.deps.partners.list()).filter((p) => owns(who, p.contact))
}

/** The user's own app, or undefined after a 404 (someone else's app is "not found", not "forbidden"). */
export async function ownApp(
  ctx: PortalContext,
  r: PortalRequest,
  who: SignedIn,
  clientId: string | undefined,
): Promise<PartnerView | undefined> {
  const app = clientId === undefined ? undefined : await ctx.deps.partners.show(clientId).catch(notFound)
  if (app === undefined || !owns(who, app.contact)) {
    fail(ctx, r, 'not-found', who.viewer)
    return undefined
  }
  return app
}

function notFound(err: unknown): undefined {
  if (isPartnerError(err) && err.code === 'PARTNER_NOT_FOUND') return undefined
  throw err
}

export async function listAppsRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const deleted = r.url.searchParams.get('deleted')
  const notice = deleted === null ? undefined : `The app ${deleted.slice(0, 200)} was deleted.`
  sendHtml(r.res, 200, appsPage(who.viewer, await myApps(ctx, who), notice), ctx.headers)
}

export async function showAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, r.params[0])
  if (app === undefined) return
  const rows: ContractRow[] = await Promise.all(
    app.contracts.map(async (contract) => ({
      contract,
      plan: contract.usagePlan === undefined ? undefined : ctx.deps.usagePlans?.get(contract.usagePlan),
      usage: await ctx.deps.usage?.(app.clientId, contract.api).catch(() => undefined),
    })),
  )
  sendHtml(r.res, 200, appPage(who.viewer, app, rows), ctx.headers)
}

export async function newAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  sendHtml(
    r.res,
    200,
    registerPage(who.viewer, EMPTY_REGISTER_FORM, ctx.deps.apis ?? [], ctx.tryCallback),
    ctx.headers,
  )
}

function lines(value: string | null): string[] {
  return (value ?? '')
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/**
 * Self-registration: contracts only for the APIs the portal offers, within their scopes, under
 * the plan the configuration gives them (or pending until an administrator approves). The app
 * belongs to the signed-in user as its partner, so a suspended user registers nothing.
 */
export async function registerAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  const offers = ctx.deps.apis ?? []
  const form: RegisterForm = {
    name: (who.form.get('name') ?? '').trim(),
    redirectUris: who.form.get('redirectUris') ?? '',
    apis: who.form.getAll('api'),
    scopes: who.form.get('scopes') ?? '',
    tryIt: who.form.get('tryIt') === '1',
  }
  const scopes = form.scopes.split(/\s+/).filter((s) => s !== '')
  const redirectUris = [...new Set([...lines(form.redirectUris), ...(form.tryIt ? [ctx.tryCallback] : [])])]
  const again = (error: string, status = 400) =>
    sendHtml(r.res, status, registerPage(who.viewer, form, offers, ctx.tryCallback, error), ctx.headers)
  try {
    const result = await ctx.deps.partners.register(
      {
        name: form.name,
        redirectUris,
        contact: who.session.username,
        partnerId: who.session.username,
        contracts: selfServiceContracts(form.apis, scopes, offers),
      },
      { selfService: offers },
    )
    sendHtml(r.res, 201, secretOncePage(who.viewer, result.partner, result.credentials), ctx.headers)
  } catch (err) {
    if (isPartnerError(err) && err.code === 'PARTNER_INVALID_INPUT')
      return again(`Please check the form: ${err.message}`)
    if (isPartnerError(err) && err.code === 'PARTNER_SUSPENDED')
      return again('Your partner account is suspended: no new apps can be registered.', 403)
    if (isDcrError(err)) {
      if (err.code === 'DCR_ORG_UNAVAILABLE') return fail(ctx, r, 'org-unreachable', who.viewer)
      if (err.code === 'DCR_INVALID_REDIRECT_URI' || err.code === 'DCR_INVALID_CLIENT_METADATA')
        return again(`Salesforce refused the registration: ${err.message}`)
    }
    throw err
  }
}

export async function rotateAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, r.params[0])
  if (app === undefined) return
  if (app.partnerStatus === 'suspended') return fail(ctx, r, 'forbidden', who.viewer)
  try {
    const result = await ctx.deps.partners.rotate(app.clientId)
    sendHtml(
      r.res,
      200,
      secretOncePage(who.viewer, result.partner, result.credentials, {
        clientId: result.previousClientId,
        removed: result.previousClientRemoved,
      }),
      ctx.headers,
    )
  } catch (err) {
    if (isPartnerError(err) && err.code === 'PARTNER_SUSPENDED') return fail(ctx, r, 'forbidden', who.viewer)
    if (isDcrError(err) && err.code === 'DCR_ORG_UNAVAILABLE')
      return fail(ctx, r, 'org-unreachable', who.viewer)
    throw err
  }
}

export async function deleteAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, r.params[0])
  if (app === undefined) return
  try {
    await ctx.deps.partners.delete(app.clientId)
  } catch (err) {
    if (isDcrError(err) && err.code === 'DCR_ORG_UNAVAILABLE')
      return fail(ctx, r, 'org-unreachable', who.viewer)
    throw err
  }
  sendRedirect(
    r.res,
    { location: `/portal/apps?deleted=${encodeURIComponent(app.name)}`, cookies: [] },
    ctx.headers,
  )
}
