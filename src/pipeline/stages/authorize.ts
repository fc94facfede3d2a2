import type { RequestContext } from '../request-context.ts'
import type { AuthCall, AuthorizationCheck, Grants } from '../types.ts'

type CheckAnswer = ReturnType<AuthorizationCheck['check']>

/**
 * authorize: the route's checks in order (scopes, contract, usage plan); the first refusal
 * wins. Checks that answer synchronously are not awaited; the first that returns a promise
 * turns the rest of the list asynchronous.
 */
export function authorizeStage(ctx: RequestContext): Promise<void> | undefined {
  const checks = ctx.route!.auth?.checks
  if (checks === undefined || checks.length === 0) return undefined
  const grants: Grants = {}
  ctx.grants = grants
  const call = ctx as AuthCall & RequestContext
  for (let i = 0; i < checks.length; i++) {
    const answer = checks[i]!.check(ctx.principal!, call, grants)
    if (answer instanceof Promise) return finish(ctx, checks, i, answer, grants)
    if (answer !== undefined) addHeaders(ctx, answer)
  }
  return undefined
}

async function finish(
  ctx: RequestContext,
  checks: readonly AuthorizationCheck[],
  from: number,
  pending: CheckAnswer,
  grants: Grants,
): Promise<void> {
  const call = ctx as AuthCall & RequestContext
  let answer = await pending
  for (let i = from; ; ) {
    if (answer !== undefined) addHeaders(ctx, answer)
    if (++i >= checks.length) return
    answer = await checks[i]!.check(ctx.principal!, call, grants)
  }
}

function addHeaders(ctx: RequestContext, headers: Readonly<Record<string, string>>): void {
  ctx.responseHeaders = ctx.responseHeaders === undefined ? headers : { ...ctx.responseHeaders, ...headers }
}
