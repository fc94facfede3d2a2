import type { VerifiedJwt } from '../jwt/types.ts'
import { isHeaderSafe, isScopeToken } from './header-safe.ts'
import { isOrgId, isUserId, sameRecord } from './org-id.ts'
import { tokenRejected } from './salesforce-failure.ts'
import type { ResolvedIdentity } from './types.ts'

/** The token type header of Salesforce JWT-based access tokens (salesforce.md 4.3). */
export const ACCESS_TOKEN_TYPE = 'sfdc-core-token'

/**
 * Runs before any key is fetched. ID tokens and every other JWT the org signs with the same
 * keys lack this header, so they stop here: an ID token is proof of a login to a client
 * app, not a credential for an API. The header is covered by the signature, so the later
 * verification vouches for exactly the value checked here.
 */
export function checkUntrustedTokenType(untrustedHeader: Readonly<Record<string, unknown>>): void {
  if (untrustedHeader.tty !== ACCESS_TOKEN_TYPE) {
    throw tokenRejected('sf.jwt.tty', 'not a Salesforce access token')
  }
}

/**
 * The Salesforce claims of a verified JWT access token: `sub` is `uid:<user id>`, scopes are
 * in `scp`, the org is named by the `tnk` header (`core/<instance>/<org18>`) and the `kid`
 * (`CORE_ATJWT.<org15>.<ms>`), which must agree when both are present.
 */
export function identityFromAccessToken(verified: VerifiedJwt): ResolvedIdentity {
  const { header, claims } = verified
  if (header.tty !== ACCESS_TOKEN_TYPE) throw tokenRejected('sf.jwt.tty', 'not a Salesforce access token')
  const userId = typeof claims.sub === 'string' && claims.sub.startsWith('uid:') ? claims.sub.slice(4) : ''
  if (!isUserId(userId)) throw tokenRejected('sf.jwt.sub', 'sub is not uid:005…')
  const clientId = claims.client_id
  if (typeof clientId !== 'string' || clientId === '' || !isHeaderSafe(clientId)) {
    throw tokenRejected('sf.jwt.client_id', 'client_id missing or unusable')
  }
  return {
    userId,
    orgId: orgFromHeader(header),
    clientId,
    scopes: scopesFromScp(claims.scp),
    tokenKind: 'jwt',
    expiresAt: verified.exp * 1000,
  }
}

function orgFromHeader(header: Readonly<Record<string, unknown>>): string {
  const fromTnk = typeof header.tnk === 'string' ? header.tnk.split('/').at(-1) : undefined
  const fromKid = typeof header.kid === 'string' ? /^CORE_ATJWT\.([^.]+)\./.exec(header.kid)?.[1] : undefined
  const tnkOrg = isOrgId(fromTnk) ? fromTnk : undefined
  const kidOrg = isOrgId(fromKid) ? fromKid : undefined
  if (tnkOrg !== undefined && kidOrg !== undefined && !sameRecord(tnkOrg, kidOrg)) {
    throw tokenRejected('sf.jwt.org', 'tnk and kid name different orgs')
  }
  const org = tnkOrg ?? kidOrg
  if (org === undefined) throw tokenRejected('sf.jwt.org', 'token names no org')
  return org
}

function scopesFromScp(scp: unknown): readonly string[] {
  let scopes: readonly unknown[]
  if (scp === undefined) scopes = []
  else if (typeof scp === 'string') scopes = scp.split(' ').filter((s) => s.length > 0)
  else if (Array.isArray(scp)) scopes = scp
  else throw tokenRejected('sf.jwt.scp', 'scp is neither a string nor an array')
  if (!scopes.every((s): s is string => typeof s === 'string' && isScopeToken(s))) {
    throw tokenRejected('sf.jwt.scp', 'scp holds an unusable scope')
  }
  return scopes
}
