import { isHeaderSafe } from './header-safe.ts'
import { parseIdentityUrl } from './identity-url.ts'
import { jsonObject, type OrgAnswer } from './org-call.ts'
import { OrgUnavailableError, tokenRejected } from './salesforce-failure.ts'
import type { ResolvedIdentity } from './types.ts'

export type IntrospectionVerdict =
  | { readonly active: false }
  | { readonly active: true; readonly identity: ResolvedIdentity }

/**
 * Reads an RFC 7662 answer in Salesforce's shape (salesforce.md 4.5). Only a boolean
 * `active: true` makes a token live; `false` is an ordinary "no" (unknown, expired, revoked,
 * or not visible to the gateway's app). Anything the gateway cannot read is an org failure,
 * never a "yes": a 200 with a string `"true"`, a missing subject, a non-JSON body.
 */
export function readIntrospectionAnswer(answer: OrgAnswer, nowMs: number): IntrospectionVerdict {
  if (answer.status === 400 || answer.status === 401) {
    // Salesforce refuses the gateway's own client credentials this way: a configuration fault.
    throw new OrgUnavailableError(
      'sf.introspection_client_rejected',
      `introspection answered ${answer.status}`,
    )
  }
  if (answer.status !== 200) {
    throw new OrgUnavailableError('sf.introspection_unavailable', `introspection answered ${answer.status}`)
  }
  const body = jsonObject(answer.text)
  if (body === undefined) throw malformed('body is not a JSON object')
  if (body.active === false) return { active: false }
  if (body.active !== true) throw malformed('active is not a boolean')

  if (body.token_type !== undefined && body.token_type !== 'access_token') {
    throw tokenRejected('sf.token_type', 'introspected token is not an access token')
  }
  const ids = parseIdentityUrl(body.sub)
  if (ids === undefined) throw malformed('sub is not an identity URL')
  const username = optionalString(body.username, 'username')
  const clientId = optionalString(body.client_id, 'client_id')
  const scope = optionalString(body.scope, 'scope')
  let expiresAt: number | undefined
  if (body.exp !== undefined) {
    if (typeof body.exp !== 'number' || !Number.isFinite(body.exp) || body.exp < 0) {
      throw malformed('exp is not a NumericDate')
    }
    expiresAt = body.exp * 1000
    if (expiresAt <= nowMs) throw tokenRejected('sf.expired', 'introspection exp has passed')
  }
  if (![username, clientId, scope].every((v) => v === undefined || isHeaderSafe(v))) {
    throw tokenRejected('sf.identity_unsafe', 'introspection answer holds control characters')
  }
  return {
    active: true,
    identity: {
      userId: ids.userId,
      orgId: ids.orgId,
      ...(username === undefined ? {} : { username }),
      clientId,
      scopes: scope === undefined ? [] : scope.split(' ').filter((s) => s.length > 0),
      tokenKind: 'opaque',
      expiresAt,
    },
  }
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw malformed(`${name} is not a string`)
  return value
}

function malformed(detail: string): OrgUnavailableError {
  return new OrgUnavailableError('sf.introspection_malformed', detail)
}
