import type { DatabaseSync } from 'node:sqlite'
import type { ResourceServer } from 'oidc-provider'
import type { Directory } from '../directory.ts'
import type { OrgUrls } from './org-urls.ts'
import type { SigningKeys } from './signing-keys.ts'

/** Salesforce's default session timeout (two hours). */
const DEFAULT_SESSION_SECONDS = 7200

export function accessTokenTtl(directory: Directory): number {
  return directory.seed.org.sessionTimeoutSeconds ?? DEFAULT_SESSION_SECONDS
}
/** What a client created by dynamic registration may ask for, as Salesforce grants it. */
export const REGISTERED_CLIENT_SCOPES = 'openid refresh_token id api profile email'

export type ProviderDeps = {
  db: DatabaseSync
  directory: Directory
  urls: OrgUrls
  keys: SigningKeys
  now: () => number
}

/** The org's resource server: every access token is for the org's APIs (and userinfo). */
export function resourceServerFor(
  deps: ProviderDeps,
  clientId: string,
  clientScope: string | undefined,
): ResourceServer {
  const settings = deps.directory.settings(clientId)
  return {
    scope: clientScope ?? REGISTERED_CLIENT_SCOPES,
    audience: deps.urls.base,
    accessTokenTTL: accessTokenTtl(deps.directory),
    accessTokenFormat: settings.jwtAccessTokens ? 'jwt' : 'opaque',
    jwt: { sign: { alg: 'RS256', kid: deps.keys.accessToken.kid } },
  }
}
