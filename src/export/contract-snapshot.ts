/**
 * The contracts an exported authorizer decides with, read from the partner store at export
 * time by the rule the gateway's contract cache applies: a suspended client or partner
 * suspends all its contracts; a client without a contract for the API has none.
 */
import type { PartnerStore } from '../store/partner-store.ts'
import type { ContractSnapshot, ContractSnapshotEntry } from './rest-authorizer.ts'

export async function contractSnapshot(
  store: Pick<PartnerStore, 'listClients' | 'listContracts' | 'getPartner'>,
  apis: ReadonlySet<string>,
): Promise<ContractSnapshot> {
  const snapshot: Record<string, Record<string, ContractSnapshotEntry>> = {}
  for (const client of await store.listClients()) {
    const partner = await store.getPartner(client.partnerId)
    const suspended = client.status === 'suspended' || partner?.status !== 'active'
    for (const contract of await store.listContracts(client.clientId)) {
      if (!apis.has(contract.api)) continue
      snapshot[client.clientId] ??= {}
      snapshot[client.clientId]![contract.api] = {
        status: suspended ? 'suspended' : contract.status,
        scopes: [...contract.scopes],
      }
    }
  }
  return snapshot
}
