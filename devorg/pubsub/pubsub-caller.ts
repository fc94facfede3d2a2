// Who is calling: every RPC carries `accesstoken`, `instanceurl` and `tenantid` metadata, checked
// against the org's live tokens. `instanceurl` must be present but is not compared: clients
// send the https My Domain URL Salesforce gave them, which a local org cannot match.

import type { Metadata } from '@grpc/grpc-js'
import { pubsubErrors } from './pubsub-errors.ts'

export type PubSubIdentity = { userId: string; orgId: string; scopes: string[] }

export type CallerCheck = {
  orgId: string
  authenticate(token: string): PubSubIdentity | null
}

function one(metadata: Metadata, key: string): string {
  const [value] = metadata.get(key)
  return typeof value === 'string' ? value.trim() : ''
}

/** The caller's identity; throws UNAUTHENTICATED / PERMISSION_DENIED as Salesforce does. */
export function identifyCaller(check: CallerCheck, metadata: Metadata): PubSubIdentity {
  const token = one(metadata, 'accesstoken')
  const tenant = one(metadata, 'tenantid')
  if (!token || !tenant || !one(metadata, 'instanceurl'))
    throw pubsubErrors.unauthenticated('Missing accesstoken, instanceurl or tenantid metadata.')
  // Org ids may be sent in 15- or 18-character form.
  if (tenant !== check.orgId && tenant !== check.orgId.slice(0, 15))
    throw pubsubErrors.unauthenticated('The tenantid does not name this org.')
  const identity = check.authenticate(token)
  if (!identity) throw pubsubErrors.unauthenticated('The access token is invalid or expired.')
  if (!identity.scopes.some((s) => s === 'api' || s === 'full'))
    throw pubsubErrors.permissionDenied('The access token lacks the api scope.')
  return identity
}
