import { SingleFlight } from '../cache/single-flight.ts'
import { type Clock, TtlLru } from '../cache/ttl-lru.ts'
import type { ClientStatus, Contract, PartnerStatus, PartnerStore } from '../store/partner-store.ts'

/** What the enforcer needs to know about one client and one API. */
export interface ContractDecision {
  readonly status: 'active' | 'suspended' | 'pending' | 'none'
  readonly scopes: readonly string[]
  readonly usagePlan: string | undefined
  /**
   * What usage is counted under: the partner and the API, so neither a rotated client id nor
   * another app of the same partner starts a fresh quota.
   */
  readonly usageKey: string | undefined
}

interface ClientEntry {
  readonly status: ClientStatus | undefined
  readonly partnerId: string | undefined
  readonly partnerStatus: PartnerStatus | undefined
  readonly contracts: ReadonlyMap<string, Contract>
}

const NONE: ContractDecision = Object.freeze({
  status: 'none',
  scopes: Object.freeze([]),
  usagePlan: undefined,
  usageKey: undefined,
})

export function usageKeyOf(partnerId: string, api: string): string {
  // JSON keeps the parts apart whatever characters they hold.
  return JSON.stringify(['partner', partnerId, api])
}

/**
 * Answers `contractFor` from memory. One entry per client (known or not, so unknown client ids
 * also cost one store read per TTL), loaded once for concurrent callers, dropped whenever this
 * process changes the client; the TTL bounds staleness when another instance changes it.
 */
export class ContractCache {
  readonly #store: PartnerStore
  readonly #entries: TtlLru<ClientEntry>
  readonly #loads = new SingleFlight<ClientEntry>()
  readonly #ttlMs: number
  // Bumped on every invalidation: a load that started before it must not be cached.
  #generation = 0

  constructor(store: PartnerStore, options: { ttlMs: number; maxEntries: number; clock?: Clock }) {
    this.#store = store
    this.#ttlMs = options.ttlMs
    this.#entries = new TtlLru(options.maxEntries, options.clock)
  }

  async decide(clientId: string, api: string): Promise<ContractDecision> {
    const entry = this.#entries.get(clientId) ?? (await this.#load(clientId))
    const contract = entry.contracts.get(api)
    if (entry.status === undefined || entry.partnerId === undefined || contract === undefined) return NONE
    const suspended = entry.status === 'suspended' || entry.partnerStatus !== 'active'
    return Object.freeze({
      status: suspended ? 'suspended' : contract.status,
      scopes: contract.scopes,
      usagePlan: contract.usagePlan,
      usageKey: usageKeyOf(entry.partnerId, api),
    })
  }

  invalidate(clientId: string): void {
    this.#generation++
    this.#entries.delete(clientId)
  }

  #load(clientId: string): Promise<ClientEntry> {
    const generation = this.#generation
    // Keyed by generation too, so a caller after an invalidation never joins a stale load.
    return this.#loads.run(`${generation}\u0000${clientId}`, async () => {
      const client = await this.#store.getClient(clientId)
      const contracts = client === undefined ? [] : await this.#store.listContracts(clientId)
      // A client whose partner cannot be read is refused, never let through.
      const partner = client === undefined ? undefined : await this.#store.getPartner(client.partnerId)
      const entry: ClientEntry = {
        status: client?.status,
        partnerId: client?.partnerId,
        partnerStatus: partner?.status,
        contracts: new Map(contracts.map((c) => [c.api, c])),
      }
      if (generation === this.#generation) this.#entries.set(clientId, entry, this.#ttlMs)
      return entry
    })
  }
}
