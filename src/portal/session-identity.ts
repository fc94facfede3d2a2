/**
 * Who signed in, read from the validated ID token and the org's userinfo (whose `sub` the org
 * client has already matched). Salesforce names the subject by identity URL
 * (`…/id/<orgId>/<userId>`); userinfo also carries `user_id`, `organization_id` and
 * `preferred_username`. Values that do not look like Salesforce ids are refused rather than
 * carried into sessions and upstream contexts.
 */

export interface SessionIdentity {
  readonly userId: string
  readonly orgId: string
  readonly username: string
  readonly displayName: string
}

const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/
const ORG_ID = /^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters never belong in a name
const PRINTABLE = /^[^\u0000-\u001f\u007f]{1,255}$/

function text(value: unknown): string | undefined {
  return typeof value === 'string' && PRINTABLE.test(value) ? value : undefined
}

export function identityFromClaims(
  claims: Readonly<Record<string, unknown>>,
  userinfo: Readonly<Record<string, unknown>>,
): SessionIdentity | undefined {
  const fromSub = typeof claims.sub === 'string' ? /\/id\/([^/]+)\/([^/]+)$/.exec(claims.sub) : null
  const userId = text(userinfo.user_id) ?? fromSub?.[2]
  const orgId = text(userinfo.organization_id) ?? fromSub?.[1]
  const username = text(userinfo.preferred_username) ?? text(claims.preferred_username)
  if (userId === undefined || orgId === undefined || username === undefined) return undefined
  if (!USER_ID.test(userId) || !ORG_ID.test(orgId)) return undefined
  // The identity URL and userinfo must agree on who this is.
  if (fromSub !== null && (fromSub[2] !== userId || fromSub[1] !== orgId)) return undefined
  const displayName = text(userinfo.name) ?? text(claims.name) ?? username
  return { userId, orgId, username, displayName }
}
