import type { SalesforceOrgConfig } from './salesforce-schema.ts'
import { resolveSecret } from './secret-ref.ts'

/** A trusted org with its introspection secret read, ready for the enforcer. */
export interface ResolvedSalesforceOrg {
  readonly issuer: string
  readonly orgId?: string
  readonly introspection: { readonly clientId: string; readonly clientSecret: string }
  readonly timeoutMs: number
}

/** Reads every org's secret once at start-up; a missing secret names its field. */
export function resolveSalesforceOrgs(
  orgs: Readonly<Record<string, SalesforceOrgConfig>>,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, ResolvedSalesforceOrg> {
  const out = new Map<string, ResolvedSalesforceOrg>()
  for (const [name, org] of Object.entries(orgs)) {
    const clientSecret = resolveSecret(
      org.introspection.clientSecret,
      file,
      `/salesforce/orgs/${name}/introspection/clientSecret`,
      env,
    )
    out.set(name, {
      issuer: org.issuer.replace(/\/+$/, ''),
      ...(org.orgId === undefined ? {} : { orgId: org.orgId }),
      introspection: { clientId: org.introspection.clientId, clientSecret },
      timeoutMs: org.timeoutMs,
    })
  }
  return out
}
