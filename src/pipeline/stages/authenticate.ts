import type { RequestContext } from '../request-context.ts'
import type { AuthCall } from '../types.ts'

/** authenticate: who is calling; the route's authenticator produces the principal (401 when nobody). */
export function authenticateStage(ctx: RequestContext): Promise<void> | undefined {
  const auth = ctx.route!.auth
  if (auth === undefined) {
    ctx.explain?.({ step: 'authorize', authorizer: 'none' })
    return undefined
  }
  return authenticate(ctx, auth)
}

async function authenticate(
  ctx: RequestContext,
  auth: NonNullable<NonNullable<RequestContext['route']>['auth']>,
): Promise<void> {
  // The context carries the view, the trail and the dry-run flag: it is the call.
  ctx.principal = await auth.authenticate(ctx as AuthCall & RequestContext)
}
