/**
 * The authorizer's org settings, read where Lambda keeps configuration: its environment, and
 * AWS Secrets Manager for the client secret (through the AWS Parameters and Secrets Lambda
 * Extension's local endpoint), so no secret is ever inside the package.
 */
import type { OrgSettings } from './rest-authorizer.ts'

type Env = Readonly<Record<string, string | undefined>>

export const ORG_ENV = {
  issuer: 'FORCEGATE_ORG_ISSUER',
  orgId: 'FORCEGATE_ORG_ID',
  clientId: 'FORCEGATE_ORG_CLIENT_ID',
  clientSecret: 'FORCEGATE_ORG_CLIENT_SECRET',
  clientSecretArn: 'FORCEGATE_ORG_CLIENT_SECRET_ARN',
} as const

/**
 * The exported authorizer's org settings, read when the Lambda starts. Imported by the entry
 * module the export writes for esbuild, which static analysis cannot follow.
 * @public
 */
export async function orgFromEnvironment(env: Env, fetchFn: typeof fetch = fetch): Promise<OrgSettings> {
  const issuer = env[ORG_ENV.issuer]
  if (issuer === undefined || issuer === '') throw new Error(`${ORG_ENV.issuer} is not set`)
  const orgId = env[ORG_ENV.orgId]
  const clientId = env[ORG_ENV.clientId]
  let clientSecret = env[ORG_ENV.clientSecret]
  const secretArn = env[ORG_ENV.clientSecretArn]
  if (clientSecret === undefined && secretArn !== undefined)
    clientSecret = await secretValue(secretArn, env, fetchFn)
  return {
    issuer,
    ...(orgId === undefined || orgId === '' ? {} : { orgId }),
    ...(clientId === undefined || clientSecret === undefined
      ? {}
      : { introspection: { clientId, clientSecret } }),
  }
}

/** GET /secretsmanager/get on the extension's port, authenticated by the function's session token. */
async function secretValue(secretId: string, env: Env, fetchFn: typeof fetch): Promise<string> {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773'
  const res = await fetchFn(
    `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`,
    { headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' } },
  )
  if (!res.ok) throw new Error(`Secrets Manager answered ${res.status} for ${ORG_ENV.clientSecretArn}`)
  const body = (await res.json()) as { SecretString?: unknown }
  if (typeof body.SecretString !== 'string') throw new Error(`the secret ${secretId} has no SecretString`)
  return body.SecretString
}
