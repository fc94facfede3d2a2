import { isHeaderSafe } from './header-safe.ts'
import { tokenRejected } from './salesforce-failure.ts'
import type { SalesforceIdentity } from './types.ts'

/**
 * Headers an HTTP upstream may trust because the gateway sets them. Lower case, so the
 * pipeline can strip any client-sent copy before adding these (security.md 3.7).
 */
export const IDENTITY_HEADER_NAMES = Object.freeze([
  'x-forcegate-user-id',
  'x-forcegate-org-id',
  'x-forcegate-username',
  'x-forcegate-client-id',
  'x-forcegate-scopes',
] as const)

/**
 * The identity as upstream request headers. Absent facts (no username, no client app, no
 * scopes) are absent headers, never empty ones. The token itself is never among them.
 */
export function identityHeaders(identity: SalesforceIdentity): [string, string][] {
  const headers: [string, string][] = [
    ['x-forcegate-user-id', identity.userId],
    ['x-forcegate-org-id', identity.orgId],
  ]
  if (identity.username !== undefined) headers.push(['x-forcegate-username', identity.username])
  if (identity.clientId !== undefined) headers.push(['x-forcegate-client-id', identity.clientId])
  if (identity.scopes.length > 0) headers.push(['x-forcegate-scopes', identity.scopes.join(' ')])
  // Identities are checked where they are built; this keeps the promise for any other source.
  for (const [, value] of headers) {
    if (!isHeaderSafe(value)) throw tokenRejected('sf.identity_unsafe', 'identity value unusable in a header')
  }
  return headers
}
