import type { RequestContext } from '../request-context.ts'

/** enrich: the authorizer context and identity headers the integration receives. */
export function enrichStage(ctx: RequestContext): undefined {
  const auth = ctx.route!.auth
  if (auth === undefined) return undefined
  const outcome = auth.enrich(ctx.principal!)
  ctx.outcome =
    ctx.responseHeaders === undefined ? outcome : { ...outcome, responseHeaders: ctx.responseHeaders }
  ctx.explain?.({
    step: 'enrich',
    principalId: outcome.principalId ?? null,
    authorizer: outcome.authorizerContext ?? null,
  })
  return undefined
}
