import type { DevOrg } from '../../devorg/index.ts'

/** A Lambda handler that answers with the `requestContext.authorizer` it was given. */
export const WHOAMI_HANDLER =
  'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) })\n'

/**
 * The forcegate.yaml lines that trust a running dev org as `devorg`, introspecting with its
 * introspect-all app; the secret is read from `secretEnv`, which this sets.
 */
export function devorgSalesforceYaml(
  org: DevOrg,
  secretEnv: string,
  options: { orgId?: boolean } = {},
): string[] {
  const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)
  if (gatewayApp === undefined) throw new Error('the dev org seed has no introspectAll app')
  process.env[secretEnv] = gatewayApp.clientSecret
  return [
    'salesforce:',
    '  orgs:',
    '    devorg:',
    `      issuer: ${org.issuer}`,
    ...(options.orgId === false ? [] : [`      orgId: ${org.orgId}`]),
    '      introspection:',
    `        clientId: ${gatewayApp.clientId}`,
    `        clientSecret: { env: ${secretEnv} }`,
  ]
}
