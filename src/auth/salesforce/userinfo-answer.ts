import { isHeaderSafe } from './header-safe.ts'
import { parseIdentityUrl } from './identity-url.ts'
import { jsonObject, type OrgAnswer } from './org-call.ts'
import { isOrgId, isUserId, sameRecord } from './org-id.ts'
import { OrgUnavailableError, tokenRejected } from './salesforce-failure.ts'
import type { ResolvedIdentity } from './types.ts'

/**
 * Reads the UserInfo answer for a session ID (salesforce.md 4.6). Salesforce refuses a bad
 * token with 403 and a plain-text code such as `Bad_OAuth_Token`, not JSON; that (and 401)
 * is a "no". UserInfo proves the session is live and who it belongs to, but names neither
 * the client app nor the scopes, so the identity has none.
 */
export function readUserinfoAnswer(answer: OrgAnswer): ResolvedIdentity {
  if (answer.status === 401 || answer.status === 403) {
    const code = /^[A-Za-z_]{1,40}$/.test(answer.text.trim()) ? answer.text.trim() : 'unrecognised body'
    throw tokenRejected('sf.userinfo_rejected', `userinfo answered ${answer.status} ${code}`)
  }
  if (answer.status !== 200) {
    throw new OrgUnavailableError('sf.userinfo_unavailable', `userinfo answered ${answer.status}`)
  }
  const body = jsonObject(answer.text)
  if (body === undefined) throw malformed('body is not a JSON object')
  const userId = body.user_id
  const orgId = body.organization_id
  if (!isUserId(userId) || !isOrgId(orgId)) throw malformed('user_id or organization_id missing')
  const fromSub = parseIdentityUrl(body.sub)
  if (fromSub !== undefined && !(sameRecord(fromSub.userId, userId) && sameRecord(fromSub.orgId, orgId))) {
    throw malformed('sub names another user or org')
  }
  // `active` describes the user; a deactivated user's session is not a caller.
  if (body.active === false) throw tokenRejected('sf.inactive', 'userinfo reports an inactive user')
  const username = body.preferred_username
  if (username !== undefined && username !== null && typeof username !== 'string') {
    throw malformed('preferred_username is not a string')
  }
  if (typeof username === 'string' && !isHeaderSafe(username)) {
    throw tokenRejected('sf.identity_unsafe', 'userinfo answer holds control characters')
  }
  return {
    userId,
    orgId,
    ...(typeof username === 'string' ? { username } : {}),
    clientId: undefined,
    scopes: [],
    tokenKind: 'session',
    expiresAt: undefined,
  }
}

function malformed(detail: string): OrgUnavailableError {
  return new OrgUnavailableError('sf.userinfo_malformed', detail)
}
