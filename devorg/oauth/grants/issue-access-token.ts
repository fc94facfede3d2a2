import type Provider from 'oidc-provider'
import type { Client, ResourceServer } from 'oidc-provider'

export type IssuedAccessToken = { value: string; accountId: string; grantId: string; scope: string }

/**
 * Issues an access token for a named user outside the authorization-code machinery (password,
 * client credentials run-as user, JWT bearer). Each gets its own grant so that revoking it
 * behaves like the interactive flows.
 */
export async function issueUserAccessToken(
  provider: Provider,
  args: {
    client: Client
    accountId: string
    scope: string
    gty: string
    resource: string
    resourceServer: ResourceServer
  },
): Promise<IssuedAccessToken> {
  const grant = new provider.Grant({ accountId: args.accountId, clientId: args.client.clientId })
  grant.addResourceScope(args.resource, args.scope)
  const grantId = await grant.save()
  const at = new provider.AccessToken({
    accountId: args.accountId,
    client: args.client,
    grantId,
    gty: args.gty,
    scope: args.scope,
    expiresWithSession: false,
  })
  at.resourceServer = new provider.ResourceServer(args.resource, args.resourceServer)
  at.scope = args.scope
  const value = await at.save()
  return { value, accountId: args.accountId, grantId, scope: args.scope }
}

/** Scopes an app may hold without a user at the keyboard (Salesforce withholds these). */
export function nonInteractiveScopes(scope: string | undefined, withheld: readonly string[]): string {
  return (scope ?? '')
    .split(' ')
    .filter((s) => s && !withheld.includes(s))
    .join(' ')
}
