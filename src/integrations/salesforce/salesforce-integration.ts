import { ConfigError } from '../../errors/config-error.ts'
import type { Integration } from '../types.ts'
import { createContractUpload } from './contract-upload.ts'
import type { SalesforceConnections } from './salesforce-connections.ts'
import type { SalesforceRouteSpec } from './salesforce-route-spec.ts'
import { createSalesforceWriteIntegration } from './salesforce-write-integration.ts'

/**
 * A route's `x-forcegate-salesforce-integration`, checked against what the gateway knows: the
 * org is trusted in forcegate.yaml, a route writing as the caller is protected by that org's
 * Salesforce authorizer (whose token it forwards), a route writing as the integration user has
 * one configured.
 */
export function createSalesforceIntegration(
  file: string,
  spec: SalesforceRouteSpec,
  connections: SalesforceConnections | undefined,
  routeOrg: string | undefined,
): Integration {
  if (connections === undefined || !connections.has(spec.org))
    throw new ConfigError(
      file,
      `${spec.pointer}/org`,
      `expected an org under salesforce.orgs in forcegate.yaml; '${spec.org}' is not`,
    )
  if (spec.credential === 'caller' && routeOrg !== spec.org)
    throw new ConfigError(
      file,
      `${spec.pointer}/credential`,
      `credential caller needs the route secured by an x-forcegate-salesforce scheme of org '${spec.org}'${routeOrg === undefined ? '' : ` (its scheme checks org '${routeOrg}')`}`,
    )
  const target = connections.target(spec.org, spec.credential, spec.timeoutMs)
  return spec.operation === 'upload'
    ? createContractUpload(spec, target)
    : createSalesforceWriteIntegration(file, spec, target)
}
