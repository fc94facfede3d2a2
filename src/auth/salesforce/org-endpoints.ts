import { parseFetchableUrl } from '../jwt/fetchable-url.ts'
import { checkedOrgId } from './org-id.ts'
import type { SalesforceOrgConfig } from './types.ts'

/** The org's URLs and identifiers, checked once at start-up. */
export interface OrgEndpoints {
  readonly issuer: string
  readonly orgId: string | undefined
  readonly introspectionUrl: URL
  readonly userinfoUrl: URL
  readonly jwksUri: string
  readonly jwtAudience: readonly string[]
  readonly introspectionClient: { readonly clientId: string; readonly clientSecret: string } | undefined
}

/**
 * Defaults follow Salesforce's fixed paths on the issuer's host (salesforce.md 2). The key
 * set defaults to `{issuer}/id/keys` rather than discovery: JWT access token keys live on
 * the My Domain host, and a fixed URL costs no extra call at start-up.
 */
export function resolveOrgEndpoints(org: SalesforceOrgConfig, needsIntrospection: boolean): OrgEndpoints {
  parseFetchableUrl(org.issuer, 'org.issuer')
  const base = org.issuer.replace(/\/+$/, '')
  const client = org.introspection
  if (needsIntrospection) {
    if (client === undefined || client.clientId === '' || client.clientSecret === '') {
      throw new TypeError('org.introspection needs a clientId and a clientSecret to accept opaque tokens')
    }
  }
  const audience = org.jwtAudience ?? [org.issuer]
  if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError('org.jwtAudience must hold non-empty strings')
  }
  const jwksUri = org.jwksUri ?? `${base}/id/keys`
  parseFetchableUrl(jwksUri, 'org.jwksUri')
  return {
    issuer: org.issuer,
    orgId: checkedOrgId(org.orgId),
    introspectionUrl: parseFetchableUrl(
      org.introspectionUrl ?? `${base}/services/oauth2/introspect`,
      'org.introspectionUrl',
    ),
    userinfoUrl: parseFetchableUrl(org.userinfoUrl ?? `${base}/services/oauth2/userinfo`, 'org.userinfoUrl'),
    jwksUri,
    jwtAudience: audience,
    introspectionClient: client,
  }
}
