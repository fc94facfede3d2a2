import { isOrgId, isUserId } from './org-id.ts'

export interface IdentityUrlIds {
  readonly orgId: string
  readonly userId: string
}

/**
 * Reads the org and user ids from an identity URL (`https://login.salesforce.com/id/<org>/<user>`),
 * the `sub` of introspection and userinfo answers. Only the path is read: the host is the
 * login host even for My Domain orgs (salesforce.md 13.3), so it proves nothing either way.
 */
export function parseIdentityUrl(value: unknown): IdentityUrlIds | undefined {
  if (typeof value !== 'string') return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  const parts = url.pathname.split('/')
  if (parts.length !== 4 || parts[0] !== '' || parts[1] !== 'id') return undefined
  const [, , orgId, userId] = parts
  if (!isOrgId(orgId) || !isUserId(userId)) return undefined
  return { orgId, userId }
}
