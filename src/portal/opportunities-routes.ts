import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../errors/gateway-error.ts'
import { boundaryOf, MultipartError, openFilePart } from '../http/multipart-file-part.ts'
import { sendHtml, sendRedirect } from './http-io.ts'
import {
  contractLinksQuery,
  contractRow,
  opportunityListQuery,
  opportunityQuery,
  opportunityRow,
  recordsOf,
  type SalesforceId,
  salesforceId,
  sameId,
} from './opportunity-soql.ts'
import type { OpportunitiesSettings, OrgAnswer } from './org-records.ts'
import {
  opportunitiesPage,
  opportunityPage,
  opportunityRefusedPage,
  type UploadOutcome,
} from './pages/opportunity-pages.ts'
import {
  fail,
  type PortalContext,
  type PortalRequest,
  type SignedIn,
  signedIn,
  viewerOf,
} from './portal-context.ts'
import { sameSecret } from './secrets.ts'
import { SESSION_ACCESS_TOKEN } from './session-route-auth.ts'

/**
 * The Opportunities page: the deals the signed-in user may see and contract files attached to
 * them, every call to the org made with the user's own token (kept sealed with the session), so
 * the org's sharing decides; what the org answers is what the page says. A token the org no
 * longer accepts ends the portal session: the user signs in again.
 */

/** Answered already (a sign-in redirect or a failure page) when undefined. */
type Asked = OrgAnswer | undefined

const ACCESS_REFUSED = new Set([
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
])
/** Multipart framing around the file: the declared length may pass the file's limit by this. */
const FORM_OVERHEAD = 64 * 1024

function settingsOf(ctx: PortalContext, r: PortalRequest): OpportunitiesSettings | undefined {
  if (ctx.deps.opportunities === undefined) fail(ctx, r, 'not-found')
  return ctx.deps.opportunities
}

/** Calls the org as the user; a refused token or an unreachable org is answered here. */
async function asUser(
  ctx: PortalContext,
  r: PortalRequest,
  who: SignedIn,
  call: (token: string) => Promise<OrgAnswer>,
): Promise<Asked> {
  const token = who.session.data[SESSION_ACCESS_TOKEN]
  let answer: OrgAnswer | undefined
  try {
    answer = token === undefined ? undefined : await call(token)
  } catch (err) {
    if (!unreachable(err)) throw err
    ctx.deps.log?.({ reason: err.reason, path: r.url.pathname }, 'org call failed')
    fail(ctx, r, 'org-unreachable', who.viewer)
    return undefined
  }
  if (answer !== undefined && answer.status !== 401) return answer
  await signInAgain(ctx, r, who)
  return undefined
}

function unreachable(err: unknown): err is GatewayError {
  return (
    err instanceof GatewayError &&
    (err.code === 'GW_UPSTREAM_UNREACHABLE' || err.code === 'GW_INTEGRATION_TIMEOUT')
  )
}

/** The org refused the session's token (expired or revoked): the session is over. */
async function signInAgain(ctx: PortalContext, r: PortalRequest, who: SignedIn): Promise<void> {
  ctx.deps.log?.({ reason: 'org.token_refused', path: r.url.pathname }, 'session ended by the org')
  await ctx.deps.sessions.deleteSession(who.session.key)
  if (r.req.method === 'GET') {
    const back = encodeURIComponent(r.url.pathname + r.url.search)
    return sendRedirect(r.res, { location: `/portal/login?return_to=${back}`, cookies: [] }, ctx.headers)
  }
  fail(ctx, r, 'session-expired')
}

const viewerWithId = (who: SignedIn) => ({ ...who.viewer, userId: who.session.userId })

export async function listOpportunitiesRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const settings = settingsOf(ctx, r)
  if (settings === undefined) return
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const answer = await asUser(ctx, r, who, (t) => settings.records.query(t, opportunityListQuery()))
  if (answer === undefined) return
  if (answer.status !== 200) return orgFailure(ctx, r, who, answer)
  const rows = recordsOf(answer.json).map(opportunityRow)
  sendHtml(r.res, 200, opportunitiesPage(viewerWithId(who), rows), ctx.headers)
}

export async function showOpportunityRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const settings = settingsOf(ctx, r)
  if (settings === undefined) return
  const who = await signedIn(ctx, r)
  if (who === undefined) return
  const id = salesforceId(r.params[0])
  if (id === undefined) return sendRefusal(ctx, r, who, 404, undefined)
  // Only a version the org lists on the deal is reported as attached.
  const attached = salesforceId(r.url.searchParams.get('attached') ?? undefined)
  await renderDeal(ctx, r, who, settings, id, 200, (contracts) => {
    const found =
      attached && contracts.find((c) => c.versionId !== undefined && sameId(c.versionId, attached))
    return found ? { kind: 'attached', filename: found.title, versionId: found.versionId } : undefined
  })
}

/** The deal and its contracts as the user sees them, or the org's refusal. */
async function renderDeal(
  ctx: PortalContext,
  r: PortalRequest,
  who: SignedIn,
  settings: OpportunitiesSettings,
  id: SalesforceId,
  status: number,
  outcome: (contracts: ReturnType<typeof contractRow>[]) => UploadOutcome | undefined,
  missing: { readonly status: 403 | 404; readonly errorCode: string | undefined } = {
    status: 404,
    errorCode: undefined,
  },
): Promise<void> {
  const deal = await asUser(ctx, r, who, (t) => settings.records.query(t, opportunityQuery(id)))
  if (deal === undefined) return
  if (deal.status !== 200) return orgFailure(ctx, r, who, deal)
  const record = recordsOf(deal.json)[0]
  if (record === undefined) return sendRefusal(ctx, r, who, missing.status, missing.errorCode)
  const opportunity = opportunityRow(record)
  const dealId = salesforceId(opportunity.id) ?? id
  const links = await asUser(ctx, r, who, (t) => settings.records.query(t, contractLinksQuery(dealId)))
  if (links === undefined) return
  if (links.status !== 200) return orgFailure(ctx, r, who, links)
  const contracts = recordsOf(links.json).map(contractRow)
  const body = opportunityPage(viewerWithId(who), opportunity, contracts, settings, outcome(contracts))
  sendHtml(r.res, status, body, ctx.headers)
}

function sendRefusal(
  ctx: PortalContext,
  r: PortalRequest,
  who: SignedIn,
  status: 403 | 404,
  errorCode: string | undefined,
): void {
  sendHtml(r.res, status, opportunityRefusedPage(who.viewer, status, errorCode), ctx.headers)
}

/** What the org said instead of records: its refusal as 403/404, anything else as 502. */
function orgFailure(ctx: PortalContext, r: PortalRequest, who: SignedIn, answer: OrgAnswer): void {
  if (answer.status === 404 || answer.status === 403 || ACCESS_REFUSED.has(answer.errorCode ?? '')) {
    sendRefusal(ctx, r, who, answer.status === 404 ? 404 : 403, answer.errorCode)
    return
  }
  ctx.deps.log?.(
    { reason: 'org.answer', status: answer.status, errorCode: answer.errorCode },
    'org refused a query',
  )
  fail(ctx, r, 'org-unreachable', who.viewer)
}

/** Reads and drops the rest of a request, so the browser sees the answer instead of a reset. */
async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return
  // A multipart reader left mid-body holds a 'readable' listener, under which resume() does
  // nothing; its removal takes effect on the next tick.
  if (req.listenerCount('readable') > 0) {
    req.removeAllListeners('readable')
    await new Promise((resolve) => setImmediate(resolve))
  }
  req.resume()
  await Promise.race([once(req, 'end'), once(req, 'close')]).catch(() => undefined)
}

/**
 * A contract dropped on a deal: the form's CSRF token (a field before the file) and the
 * browser's `Origin` are checked before a byte goes on; the file streams to the org as a
 * ContentVersion on the deal, as the user, counted against the limit; the page then shows the
 * deal with the file the org now lists, or why nothing was attached.
 */
export async function uploadContractRoute(ctx: PortalContext, r: PortalRequest): Promise<void> {
  const settings = ctx.deps.opportunities
  const found = await ctx.login.lookup(r.req.headers.cookie)
  if (settings === undefined || found.kind !== 'active') {
    await drain(r.req)
    return fail(ctx, r, settings === undefined ? 'not-found' : 'session-expired')
  }
  const who: SignedIn = { session: found.session, viewer: viewerOf(ctx, found.session) }
  const id = salesforceId(r.params[0])
  const refuse = async (status: number, message: string, errorCode?: string) => {
    await drain(r.req)
    if (id === undefined) return sendRefusal(ctx, r, who, 404, undefined)
    const outcome: UploadOutcome = {
      kind: 'refused',
      message,
      ...(errorCode === undefined ? {} : { errorCode }),
    }
    // A deal the user cannot see shows only the org's refusal.
    const missing = { status: status === 403 ? 403 : 404, errorCode } as const
    await renderDeal(ctx, r, who, settings, id, status, () => outcome, missing)
  }
  if (id === undefined) return refuse(404, 'not found')
  const origin = r.req.headers.origin
  if (origin !== undefined && origin !== ctx.origin) {
    await drain(r.req)
    return csrfRefused(ctx, r, who, 'csrf.origin')
  }
  const type = r.req.headers['content-type']
  const boundary = type?.toLowerCase().startsWith('multipart/form-data') ? boundaryOf(type) : undefined
  if (boundary === undefined) return refuse(400, 'Send the file with the form on this page.')
  const declared = Number(r.req.headers['content-length'] ?? Number.NaN)
  if (declared > settings.maxBytes + FORM_OVERHEAD) return refuse(413, tooLargeMessage(settings.maxBytes))
  let file: Awaited<ReturnType<typeof openFilePart>>
  try {
    file = await openFilePart(r.req, boundary)
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err
    return refuse(400, 'The form arrived incomplete. Choose the file and send it again.')
  }
  if (file === undefined) return refuse(400, 'Choose a file to attach.')
  if (!sameSecret(file.fields.get('csrf') ?? '', who.session.csrfToken)) {
    await drain(r.req)
    return csrfRefused(ctx, r, who, file.fields.has('csrf') ? 'csrf.mismatch' : 'csrf.missing')
  }
  if (file.unnamed) return refuse(400, 'Choose a file to attach.')
  if (file.contentType === undefined || !settings.contentTypes.includes(file.contentType))
    return refuse(
      415,
      `${file.filename} is ${file.contentType ?? 'of no stated type'}; the portal accepts ${settings.contentTypes.join(', ')}.`,
    )
  const upload = file
  let bytes = 0
  let answer: Asked
  try {
    answer = await asUser(ctx, r, who, async (t) => {
      try {
        const sent = await settings.records.attach(t, id, upload, settings.maxBytes)
        bytes = sent.bytes
        return sent.answer
      } catch (err) {
        // Once the file has gone out, a lost answer says nothing of whether the org kept it.
        throw unreachable(err) ? new UnansweredUpload(err) : err
      }
    })
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'GW_BODY_TOO_LARGE')
      return refuse(413, tooLargeMessage(settings.maxBytes))
    if (!(err instanceof UnansweredUpload)) throw err
    ctx.deps.log?.({ reason: err.cause.reason, path: r.url.pathname }, 'contract upload unanswered')
    await drain(r.req)
    const uncertain: UploadOutcome = { kind: 'unanswered' }
    return renderDeal(ctx, r, who, settings, id, err.cause.status, () => uncertain)
  }
  if (answer === undefined) return drain(r.req)
  if (answer.status === 201) {
    const versionId = salesforceId((answer.json as { id?: string } | undefined)?.id)
    ctx.deps.log?.({ path: r.url.pathname, bytes }, 'contract attached')
    const location = `/portal/opportunities/${encodeURIComponent(id)}${versionId === undefined ? '' : `?attached=${versionId}`}`
    return sendRedirect(r.res, { location, cookies: [] }, ctx.headers)
  }
  if (answer.status === 404)
    return refuse(404, 'Salesforce has no such Opportunity that you can see.', answer.errorCode)
  if (answer.status === 403 || ACCESS_REFUSED.has(answer.errorCode ?? ''))
    return refuse(403, 'Salesforce does not let you attach files to this Opportunity.', answer.errorCode)
  return refuse(502, 'Salesforce did not accept the file.', answer.errorCode)
}

class UnansweredUpload extends Error {
  override readonly cause: GatewayError

  constructor(cause: GatewayError) {
    super('the org did not answer the upload')
    this.cause = cause
  }
}

function tooLargeMessage(maxBytes: number): string {
  return `The file is larger than the ${maxBytes.toLocaleString('en-US')} bytes the portal accepts.`
}

function csrfRefused(ctx: PortalContext, r: PortalRequest, who: SignedIn, reason: string): void {
  ctx.deps.log?.({ reason, path: r.url.pathname }, 'form refused')
  fail(ctx, r, 'csrf', who.viewer)
}
