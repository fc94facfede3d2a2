import { isDcrError } from '../partners/dcr-error.ts'
import { isPartnerError } from '../partners/partner-error.ts'
import type { PartnerCredentials } from '../partners/partner-results.ts'
import type { PartnerView } from '../partners/partner-service.ts'
import { selfServiceContracts } from '../partners/self-service.ts'
import { sendHtml, sendRedirect } from './http-io.ts'
import {
  appPage,
  appsPage,
  type ContractRow,
  confirmDeletePage,
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
  const notice =
    r.url.searchParams.get('secret') === 'shown'
      ? 'The client secret was shown once and is not kept: rotate it if it was not saved.'
      : undefined
  sendHtml(r.res, 200, appPage(who.viewer, app, rows, notice), ctx.headers)
}

export async function newAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const offers = ctx.deps.apis ?? []
  // With a single API on offer there is nothing to choose: it is ticked.
  const form = offers.length === 1 ? { ...EMPTY_REGISTER_FORM, apis: [offers[0]!.name] } : EMPTY_REGISTER_FORM
  sendHtml(r.res, 200, registerPage(who.viewer, form, offers, ctx.tryCallback), ctx.headers)
}

/**
 * Post/redirect/get for the one page that shows a secret: the credentials wait (sealed, with the
 * session) for the next GET of `/portal/apps/{id}/secret`, which shows them once and forgets
 * them. Reloading that page cannot register or rotate again.
 */
async function showSecretNext(
  ctx: PortalContext,
  r: PortalRequest,
  who: SignedIn,
  credentials: PartnerCredentials,
  replaced?: { readonly clientId: string; readonly removed: boolean },
): Promise<void> {
  const shown: ShownSecret = { clientId: credentials.clientId, secret: credentials.clientSecret, replaced }
  await ctx.login.saveData(who.session, { ...who.session.data, [SECRET_KEY]: JSON.stringify(shown) })
  sendRedirect(
    r.res,
    { location: `/portal/apps/${encodeURIComponent(credentials.clientId)}/secret`, cookies: [] },
    ctx.headers,
  )
}

const SECRET_KEY = 'secretOnce'

interface ShownSecret {
  readonly clientId: string
  readonly secret: string | undefined
  readonly replaced: { readonly clientId: string; readonly removed: boolean } | undefined
}

/** The secret right after registration or rotation, once; afterwards the app's own page. */
export async function secretOnceRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, r.params[0])
  if (app === undefined) return
  const { [SECRET_KEY]: stashed, ...rest } = who.session.data
  const shown = stashed === undefined ? undefined : (JSON.parse(stashed) as ShownSecret)
  if (shown?.clientId !== app.clientId) {
    const location = `/portal/apps/${encodeURIComponent(app.clientId)}?secret=shown`
    return sendRedirect(r.res, { location, cookies: [] }, ctx.headers)
  }
  await ctx.login.saveData(who.session, rest)
  const credentials = {
    clientId: shown.clientId,
    clientSecret: shown.secret,
    clientSecretExpiresAt: undefined,
  }
  sendHtml(r.res, 200, secretOncePage(who.viewer, app, credentials, shown.replaced), ctx.headers)
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
  const mine = await myApps(ctx, who)
  // A suspended partner hears that it is suspended (the service refuses), not that a name is taken.
  const taken =
    !mine.some((a) => a.partnerStatus === 'suspended') &&
    mine.some((a) => a.name.toLowerCase() === form.name.toLowerCase())
  if (taken) return again(`You already have an app named "${form.name}": choose another name.`, 409)
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
    await showSecretNext(ctx, r, who, result.credentials)
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
    await showSecretNext(ctx, r, who, result.credentials, {
      clientId: result.previousClientId,
      removed: result.previousClientRemoved,
    })
  } catch (err) {
    if (isPartnerError(err) && err.code === 'PARTNER_SUSPENDED') return fail(ctx, r, 'forbidden', who.viewer)
    if (isDcrError(err) && err.code === 'DCR_ORG_UNAVAILABLE')
      return fail(ctx, r, 'org-unreachable', who.viewer)
    throw err
  }
}

/** Asks before deleting: the app's client and its contracts go for good. */
export async function confirmDeleteRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, r.params[0])
  if (app === undefined) return
  sendHtml(r.res, 200, confirmDeletePage(who.viewer, app), ctx.headers)
}

export async function deleteAppRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  const app = await ownApp(ctx, r, who, r.params[0])
  if (app === undefined) return
  // A post without the confirmation (an old page, a stray button) only asks.
  if (who.form.get('confirm') !== app.clientId)
    return sendHtml(r.res, 400, confirmDeletePage(who.viewer, app), ctx.headers)
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
