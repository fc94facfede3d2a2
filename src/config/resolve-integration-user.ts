import { ConfigError } from '../errors/config-error.ts'
import type { SalesforceOrgConfig } from './salesforce-schema.ts'
import { resolveSecret, type SecretRef } from './secret-ref.ts'

/** The org's integration user with its secret read: what a token source needs, nothing more. */
export interface ResolvedIntegrationUser {
  readonly org: string
  readonly issuer: string
  readonly tokenUrl: string
  readonly grant: 'client_credentials' | 'jwt_bearer'
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly username: string | undefined
  readonly privateKeyPem: string | undefined
  readonly audience: string
  readonly refreshAfterMs: number
  readonly timeoutMs: number
}

/**
 * Reads one org's integration user when something uses it (a route or a command): an org
 * nobody writes to as the gateway needs no secret in the environment.
 */
export function resolveIntegrationUser(
  name: string,
  org: SalesforceOrgConfig | undefined,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedIntegrationUser {
  const base = `/salesforce/orgs/${name}`
  if (org === undefined) throw new ConfigError(file, '/salesforce/orgs', `no org named '${name}'`)
  const user = org.integrationUser
  if (user === undefined)
    throw new ConfigError(
      file,
      base,
      `org '${name}' has no integrationUser (client credentials or JWT bearer)`,
    )
  const pointer = `${base}/integrationUser`
  const issuer = org.issuer.replace(/\/+$/, '')
  let clientSecret: string | undefined
  let privateKeyPem: string | undefined
  if (user.grant === 'client_credentials') {
    if (user.clientSecret === undefined)
      throw new ConfigError(file, `${pointer}/clientSecret`, 'client_credentials needs a clientSecret')
    clientSecret = resolveSecret(user.clientSecret, file, `${pointer}/clientSecret`, env)
  } else {
    const missing =
      user.username === undefined ? 'username' : user.privateKey === undefined ? 'privateKey' : undefined
    if (missing !== undefined)
      throw new ConfigError(
        file,
        `${pointer}/${missing}`,
        `jwt_bearer needs a username and a privateKey ({ env } or { file }); ${missing} is missing`,
      )
    privateKeyPem = resolveSecret(user.privateKey as SecretRef, file, `${pointer}/privateKey`, env)
  }
  return {
    org: name,
    issuer,
    tokenUrl: `${issuer}/services/oauth2/token`,
    grant: user.grant,
    clientId: user.clientId,
    clientSecret,
    username: user.username,
    privateKeyPem,
    audience: user.audience ?? issuer,
    refreshAfterMs: user.refreshAfterSeconds * 1000,
    timeoutMs: org.timeoutMs,
  }
}

/** Every trusted org as a write target: its My Domain URL and, read on first use, its integration user. */
export function salesforceWriteOrgs(
  orgs: Readonly<Record<string, SalesforceOrgConfig>>,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, { readonly issuer: string; readonly integrationUser: () => ResolvedIntegrationUser }> {
  const out = new Map<string, { issuer: string; integrationUser: () => ResolvedIntegrationUser }>()
  for (const [name, org] of Object.entries(orgs))
    out.set(name, {
      issuer: org.issuer.replace(/\/+$/, ''),
      integrationUser: () => resolveIntegrationUser(name, org, file, env),
    })
  return out
}
