/**
 * Fields of the access-log line that read what authenticators and integrations left behind,
 * without knowing their types: the log is the one place every kind of caller meets.
 */

function stringField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const field = (value as Record<string, unknown>)[key]
  return typeof field === 'string' && field !== '' ? field : undefined
}

/**
 * The client app behind a request, when its authenticator learned it: a Salesforce identity's
 * connected app (`clientId`), or a JWT's `client_id` (`azp` for OIDC tokens, `cid` for Okta's).
 * A partner's usage and refusals can then be found by app, not only by user.
 */
export function clientIdOf(identity: unknown): string | null {
  const direct = stringField(identity, 'clientId')
  if (direct !== undefined) return direct
  const claims = (identity as { claims?: unknown } | null | undefined)?.claims
  return stringField(claims, 'client_id') ?? stringField(claims, 'azp') ?? stringField(claims, 'cid') ?? null
}
