import { SingleFlight } from '../cache/single-flight.ts'
import { type Clock, TtlLru } from '../cache/ttl-lru.ts'
import type { ClientStatus, Contract, PartnerStore } from '../store/partner-store.ts'

/** What the enforcer needs to know about one client and one API. */
export interface ContractDecision {
  readonly status: 'active' | 'suspended' | 'pending' | 'none'
  readonly scopes: readonly string[]
  readonly usagePlan: string | undefined
}

interface ClientEntry {
  readonly status: ClientStatus | undefined
  readonly contracts: ReadonlyMap<string, Contract>
}

const NONE: ContractDecision = Object.freeze({
  status: 'none',
  scopes: Object.freeze([]),
  usagePlan: undefined,
})

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
    if (entry.status === undefined || contract === undefined) return NONE
    return Object.freeze({
      status: entry.status === 'suspended' ? 'suspended' : contract.status,
      scopes: contract.scopes,
      usagePlan: contract.usagePlan,
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
      const entry: ClientEntry = {
        status: client?.status,
        contracts: new Map(contracts.map((c) => [c.api, c])),
      }
      if (generation === this.#generation) this.#entries.set(clientId, entry, this.#ttlMs)
      return entry
    })
  }
}
