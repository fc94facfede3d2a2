import { isPartnerError } from '../partners/partner-error.ts'
import { sendHtml, sendRedirect } from './http-io.ts'
import { adminPage } from './pages/admin-pages.ts'
import {
  fail,
  isAdmin,
  type PortalContext,
  type PortalRequest,
  signedIn,
  signedInForm,
} from './portal-context.ts'

/** Administrators (a configured list of Salesforce usernames) approve contracts and suspend partners. */

export async function adminRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  if (!isAdmin(ctx, who)) return fail(ctx, r, 'forbidden', who.viewer)
  const done = r.url.searchParams.get('done')
  sendHtml(
    r.res,
    200,
    adminPage(who.viewer, await ctx.deps.partners.list(), done?.slice(0, 200), planNames(ctx)),
    ctx.headers,
  )
}

const planNames = (ctx: PortalContext) => [...(ctx.deps.usagePlans?.keys() ?? [])]

export type AdminAction = 'approve' | 'suspend' | 'resume'

export async function adminActionRoute(
  ctx: PortalContext,
  r: PortalRequest,
  action: AdminAction,
): Promise<void> {
  const who = await signedInForm(ctx, r)
  if (who === undefined) return
  if (!isAdmin(ctx, who)) return fail(ctx, r, 'forbidden', who.viewer)
  const clientId = r.params[0] ?? ''
  try {
    let done: string
    if (action === 'approve') {
      const api = who.form.get('api') ?? ''
      // Empty: the admin chose no plan; absent (older form): keep the contract's.
      const plan = who.form.get('plan') ?? undefined
      const before = (await ctx.deps.partners.show(clientId)).contracts.find((c) => c.api === api)
      const partner = await ctx.deps.partners.approveContract(clientId, api, plan === '' ? undefined : plan)
      done =
        before?.status === 'active'
          ? `The plan of ${api} for ${partner.name} is now ${plan || 'unchanged'}.`
          : `Approved ${api} for ${partner.name}${plan ? ` under plan ${plan}` : ''}.`
    } else {
      const partner = await (action === 'suspend'
        ? ctx.deps.partners.suspend(clientId)
        : ctx.deps.partners.resume(clientId))
      done = `Partner ${partner.partnerId} (${partner.name}) is ${partner.partnerStatus}.`
    }
    ctx.deps.log?.({ action, clientId, admin: who.session.username }, 'portal admin action')
    sendRedirect(
      r.res,
      { location: `/portal/admin?done=${encodeURIComponent(done)}`, cookies: [] },
      ctx.headers,
    )
  } catch (err) {
    if (isPartnerError(err) && err.code === 'PARTNER_INVALID_INPUT') {
      const partners = await ctx.deps.partners.list()
      const page = adminPage(who.viewer, partners, `Not done: ${err.message}`, planNames(ctx))
      return sendHtml(r.res, 400, page, ctx.headers)
    }
    if (isPartnerError(err)) return fail(ctx, r, 'not-found', who.viewer)
    throw err
  }
}
