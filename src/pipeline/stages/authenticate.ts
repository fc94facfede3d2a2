import type { RequestContext } from '../request-context.ts'
import type { AuthCall, Principal, RouteAuth } from '../types.ts'

/**
 * authenticate: who is calling; the route's authenticator produces the principal (401 when
 * nobody). A principal known without I/O (an authorizer cache hit) costs no await.
 */
export function authenticateStage(ctx: RequestContext): Promise<void> | undefined {
  const auth: RouteAuth | undefined = ctx.route!.auth
  if (auth === undefined) {
    ctx.explain?.({ step: 'authorize', authorizer: 'none' })
    return undefined
  }
  // The context carries the view, the trail and the dry-run flag: it is the call.
  const principal = auth.authenticate(ctx as AuthCall & RequestContext)
  if (principal instanceof Promise) return settle(ctx, principal)
  ctx.principal = principal
  return undefined
}

async function settle(ctx: RequestContext, pending: Promise<Principal>): Promise<void> {
  ctx.principal = await pending
}
