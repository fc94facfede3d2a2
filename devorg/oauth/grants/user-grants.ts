import { timingSafeEqual } from 'node:crypto'
import type Provider from 'oidc-provider'
import { errors } from 'oidc-provider'
import type { ProviderDeps } from '../resource-server.ts'
import { resourceServerFor } from '../resource-server.ts'
import { issueUserAccessToken, nonInteractiveScopes } from './issue-access-token.ts'

const { InvalidGrant, CustomOIDCProviderError } = errors

export function passwordMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Grants that oidc-provider does not have in Salesforce's flavour: username-password (legacy,
 * only where the app allows it) and client credentials acting as the app's run-as user.
 */
export function registerUserGrants(provider: Provider, deps: ProviderDeps): void {
  provider.registerGrantType(
    'password',
    async (ctx) => {
      const client = ctx.oidc.client
      if (!client || !deps.directory.settings(client.clientId).passwordFlow) {
        throw new InvalidGrant('authentication failure')
      }
      const params = ctx.oidc.params as { username?: string; password?: string }
      const user = params.username ? deps.directory.userByName(params.username) : undefined
      if (!user || !passwordMatches(user.password, params.password ?? '')) {
        throw new InvalidGrant('authentication failure')
      }
      if (!user.active) throw new CustomOIDCProviderError('inactive_user', 'user is inactive')
      const issued = await issueUserAccessToken(provider, {
        client,
        accountId: user.id,
        scope: nonInteractiveScopes(client.scope, ['refresh_token', 'offline_access']),
        gty: 'password',
        resource: deps.urls.base,
        resourceServer: resourceServerFor(deps, client.clientId, client.scope),
      })
      ctx.body = {
        access_token: issued.value,
        token_type: 'Bearer',
        scope: issued.scope,
        account_id: user.id,
      }
    },
    ['username', 'password', 'scope'],
  )

  provider.registerGrantType(
    'client_credentials',
    async (ctx) => {
      const client = ctx.oidc.client
      const runAs = client ? deps.directory.settings(client.clientId).runAs : undefined
      const user = runAs ? deps.directory.userByName(runAs) : undefined
      if (!client || !user) throw new InvalidGrant('no client credentials user enabled')
      if (!user.active) throw new CustomOIDCProviderError('inactive_user', 'user is inactive')
      const issued = await issueUserAccessToken(provider, {
        client,
        accountId: user.id,
        scope: nonInteractiveScopes(client.scope, ['refresh_token', 'offline_access', 'full', 'web']),
        gty: 'client_credentials',
        resource: deps.urls.base,
        resourceServer: resourceServerFor(deps, client.clientId, client.scope),
      })
      ctx.body = {
        access_token: issued.value,
        token_type: 'Bearer',
        scope: issued.scope,
        account_id: user.id,
      }
    },
    ['scope'],
  )
}
