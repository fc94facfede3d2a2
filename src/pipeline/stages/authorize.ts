import type { RequestContext } from '../request-context.ts'
import type { AuthCall, AuthorizationCheck } from '../types.ts'

/** authorize: the route's checks in order (IAM policy, scopes, contract, usage plan); the first refusal wins. */
export function authorizeStage(ctx: RequestContext): Promise<void> | undefined {
  const checks = ctx.route!.auth?.checks
  if (checks === undefined || checks.length === 0) return undefined
  return authorize(ctx, checks)
}

async function authorize(ctx: RequestContext, checks: readonly AuthorizationCheck[]): Promise<void> {
  const grants = {}
  ctx.grants = grants
  for (const check of checks) {
    const headers = await check.check(ctx.principal!, ctx as AuthCall & RequestContext, grants)
    if (headers !== undefined)
      ctx.responseHeaders =
        ctx.responseHeaders === undefined ? headers : { ...ctx.responseHeaders, ...headers }
  }
}
