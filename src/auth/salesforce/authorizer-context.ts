import type { SalesforceIdentity } from './types.ts'

/**
 * The identity as REST API `requestContext.authorizer` (payload 1.0), where every value is a
 * string. Scopes are space-joined as in OAuth's `scope`; absent facts are absent keys.
 */
export function lambdaAuthorizerContext(identity: SalesforceIdentity): Record<string, string> {
  const context: Record<string, string> = {
    principalId: identity.userId,
    userId: identity.userId,
    orgId: identity.orgId,
  }
  if (identity.username !== undefined) context.username = identity.username
  if (identity.clientId !== undefined) context.clientId = identity.clientId
  context.scopes = identity.scopes.join(' ')
  context.tokenKind = identity.tokenKind
  return context
}
