import type { DatabaseSync } from 'node:sqlite'
import type { Directory, OrgUser } from '../directory.ts'
import { looksLikeJwt, verifyJwtAccessToken } from './jwt-access-token.ts'
import type { PrivateJwk } from './signing-keys.ts'
import { findStoredToken, JWT_RECORD_MODEL, type StoredToken } from './token-records.ts'

/** What the REST slice learns from a bearer token. */
export type TokenIdentity = {
  userId: string
  orgId: string
  username: string
  clientId: string
  scopes: string[]
}

export type ResolvedAccessToken = { token: StoredToken; user: OrgUser; format: 'opaque' | 'jwt' }

export type LookupDeps = {
  db: DatabaseSync
  directory: Directory
  accessTokenKey: PrivateJwk
  issuer: () => string
  now: () => number
}

/** Maps a live access token (opaque `00D…!…` or JWT) to its stored record and user. */
export function resolveAccessToken(deps: LookupDeps, token: string): ResolvedAccessToken | null {
  const nowMs = deps.now()
  let stored: StoredToken | null = null
  let format: 'opaque' | 'jwt' = 'opaque'
  if (token.startsWith(deps.directory.orgId.slice(0, 15) + '!')) {
    stored = findStoredToken(deps.db, 'AccessToken', token, nowMs)
  } else if (looksLikeJwt(token)) {
    const verified = verifyJwtAccessToken(token, { key: deps.accessTokenKey, issuer: deps.issuer(), nowMs })
    if (verified) stored = findStoredToken(deps.db, JWT_RECORD_MODEL, verified.sfi, nowMs)
    format = 'jwt'
  }
  if (!stored) return null
  const user = deps.directory.userById(stored.accountId)
  if (!user?.active) return null
  return { token: stored, user, format }
}

export function createAuthenticator(deps: LookupDeps): (token: string) => TokenIdentity | null {
  return (token) => {
    const resolved = resolveAccessToken(deps, token)
    if (!resolved) return null
    return {
      userId: resolved.user.id,
      orgId: deps.directory.orgId,
      username: resolved.user.username,
      clientId: resolved.token.clientId,
      scopes: (resolved.token.scope ?? '').split(' ').filter(Boolean),
    }
  }
}
