import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider'
import type { Directory } from '../directory.ts'
import { escapeHtml } from '../http/html.ts'
import { randomBase62 } from '../ids.ts'
import type { SeedConnectedApp } from '../seed/seed-types.ts'
import { identityClaims } from '../seed/user-identity.ts'
import { sqliteAdapterFactory } from '../store/oidc-adapter.ts'
import { STANDARD_SCOPES } from './discovery.ts'
import { registerUserGrants } from './grants/user-grants.ts'
import { jwtAccessTokenCustomizer } from './jwt-access-token.ts'
import { logoutSource, postLogoutSuccessSource } from './logout-pages.ts'
import type { OrgUrls } from './org-urls.ts'
import { followOrgClock } from './provider-clock.ts'
import {
  accessTokenTtl,
  type ProviderDeps,
  REGISTERED_CLIENT_SCOPES,
  resourceServerFor,
} from './resource-server.ts'

const YEAR = 365 * 24 * 3600

export type { ProviderDeps } from './resource-server.ts'

export function supportedScopes(directory: Directory): string[] {
  return [...new Set([...STANDARD_SCOPES, ...directory.seed.connectedApps.flatMap((a) => a.scopes)])]
}

function clientMetadata(app: SeedConnectedApp) {
  const grantTypes: string[] = []
  if (app.redirectUris.length > 0) grantTypes.push('authorization_code')
  if (app.scopes.includes('refresh_token') || app.scopes.includes('offline_access'))
    grantTypes.push('refresh_token')
  if (app.runAs !== undefined) grantTypes.push('client_credentials')
  if (app.passwordFlow) grantTypes.push('password')
  return {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    client_name: app.name,
    redirect_uris: app.redirectUris,
    response_types: app.redirectUris.length > 0 ? ['code' as const] : [],
    grant_types: grantTypes,
    scope: app.scopes.join(' '),
    token_endpoint_auth_method: 'client_secret_post' as const,
    post_logout_redirect_uris: app.postLogoutRedirectUris ?? [
      ...new Set(app.redirectUris.map((u) => `${new URL(u).origin}/`)),
    ],
  }
}

export function createProvider(deps: ProviderDeps): Provider {
  const { directory, urls, keys } = deps
  const org15 = directory.orgId.slice(0, 15)
  const configuration: Configuration = {
    adapter: sqliteAdapterFactory(deps.db, deps.now),
    clients: directory.seed.connectedApps.map(clientMetadata),
    clientDefaults: {
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      scope: REGISTERED_CLIENT_SCOPES,
    },
    jwks: { keys: [keys.idToken, keys.accessToken] as unknown as NonNullable<Configuration['jwks']>['keys'] },
    cookies: { keys: keys.cookieKeys, long: { signed: true }, short: { signed: true } },
    claims: {
      openid: ['sub'],
      profile: [
        'name',
        'family_name',
        'given_name',
        'nickname',
        'preferred_username',
        'zoneinfo',
        'locale',
        'updated_at',
      ],
      email: ['email', 'email_verified'],
    },
    scopes: supportedScopes(directory),
    responseTypes: ['code'],
    pkce: { required: () => false },
    routes: {
      authorization: '/services/oauth2/authorize',
      token: '/services/oauth2/token',
      jwks: '/id/keys',
      registration: '/services/oauth2/register',
      end_session: '/services/auth/idp/oidc/logout',
    },
    ttl: {
      AccessToken: accessTokenTtl(directory),
      AuthorizationCode: 900,
      IdToken: 3600,
      RefreshToken: YEAR,
      Grant: YEAR,
      Interaction: 3600,
      Session: 24 * 3600,
    },
    expiresWithSession: () => false,
    rotateRefreshToken: false,
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('refresh_token') || code.scopes.has('offline_access')),
    findAccount: (_ctx, id) => {
      const user = directory.userById(id)
      if (!user?.active) return undefined
      return {
        accountId: user.id,
        claims: () => ({
          sub: user.id,
          name: `${user.firstName} ${user.lastName}`,
          given_name: user.firstName,
          family_name: user.lastName,
          nickname: user.username.split('@')[0],
          preferred_username: user.username,
          zoneinfo: 'America/Los_Angeles',
          locale: 'en_US',
          updated_at: 0,
          email: user.email,
          email_verified: true,
        }),
      }
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      registration: directory.seed.initialAccessToken
        ? {
            enabled: true,
            initialAccessToken: directory.seed.initialAccessToken,
            idFactory: () => `3MVG9${randomBase62(80)}`,
            secretFactory: () => randomBase62(64),
          }
        : { enabled: false },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => urls.base,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== urls.base) throw new errors.InvalidTarget()
          return resourceServerFor(deps, client.clientId, client.scope)
        },
      },
    },
    formats: {
      customizers: {
        jwt: jwtAccessTokenCustomizer({
          db: deps.db,
          orgId: directory.orgId,
          key: keys.accessToken,
          now: deps.now,
        }) as never,
      },
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'text/html; charset=utf-8'
      ctx.body = `<!doctype html><title>Error</title><h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(
        String(out.error_description ?? ''),
      )}</p>`
    },
  }
  const provider = new Provider(urls.base, configuration)
  followOrgClock(provider, deps.now)
  patchOpaqueTokenFormats(provider, org15)
  patchIdTokenSubject(provider, urls, directory)
  registerUserGrants(provider, deps)
  return provider
}

/** Opaque access tokens look like Salesforce session ids (`00D…!AQ…`); refresh tokens `5Aep861…`. */
function patchOpaqueTokenFormats(provider: Provider, org15: string): void {
  type WithId = { generateTokenId(): string; format?: string }
  const at = provider.AccessToken.prototype as unknown as WithId
  const original = at.generateTokenId
  at.generateTokenId = function (this: WithId) {
    const id = original.call(this)
    return this.format === 'jwt' ? id : `${org15}!AQ${id}`
  }
  const rt = provider.RefreshToken.prototype as unknown as WithId
  const originalRt = rt.generateTokenId
  rt.generateTokenId = function (this: WithId) {
    return `5Aep861${originalRt.call(this)}`
  }
}

/**
 * ID tokens name their subject by identity URL, not by user id, and carry the custom
 * attributes and permissions the app's ID token configuration includes.
 */
function patchIdTokenSubject(provider: Provider, urls: OrgUrls, directory: Directory): void {
  const proto = provider.IdToken.prototype
  const original = proto.payload
  proto.payload = async function (this: typeof proto & { client?: { clientId: string } }) {
    const payload = await original.call(this)
    if (typeof payload.sub === 'string' && payload.sub.startsWith('005')) {
      const user = directory.userById(payload.sub)
      if (user !== undefined)
        Object.assign(
          payload,
          identityClaims(directory.seed, this.client?.clientId, user, new Set(), 'id_token'),
        )
      payload.sub = urls.identity(payload.sub)
    }
    return payload
  }
}
