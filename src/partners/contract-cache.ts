import { SingleFlight } from '../cache/single-flight.ts'
import { type Clock, TtlLru } from '../cache/ttl-lru.ts'
import { GatewayError } from '../errors/gateway-error.ts'
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
 * process changes the client. Changes made by another instance arrive through a shared store's
 * change feed as `dropPartner` (or `clear` when changes may have been missed); without one, the
 * TTL bounds staleness.
 */
export class ContractCache {
  readonly #store: PartnerStore
  #entries: TtlLru<ClientEntry>
  readonly #maxEntries: number
  readonly #clock: Clock | undefined
  // Which cached clients each partner owns, and the cached unknown ids (a new client of any
  // partner may be one of them), so a partner's change drops exactly what it could affect.
  #byPartner = new Map<string, Set<string>>()
  #unknown = new Set<string>()
  readonly #loads = new SingleFlight<ClientEntry>()
  readonly #ttlMs: number
  // Bumped on every invalidation: a load that started before it must not be cached.
  #generation = 0

  constructor(store: PartnerStore, options: { ttlMs: number; maxEntries: number; clock?: Clock }) {
    this.#store = store
    this.#ttlMs = options.ttlMs
    this.#maxEntries = options.maxEntries
    this.#clock = options.clock
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

  /** Another instance changed this partner, its clients or their contracts. */
  dropPartner(partnerId: string): void {
    this.#generation++
    for (const clientId of this.#byPartner.get(partnerId) ?? []) this.#entries.delete(clientId)
    for (const clientId of this.#unknown) this.#entries.delete(clientId)
    this.#byPartner.delete(partnerId)
    this.#unknown.clear()
  }

  /** Changes may have been missed (the feed reconnected, or could not poll): forget everything. */
  clear(): void {
    this.#generation++
    this.#entries = new TtlLru(this.#maxEntries, this.#clock)
    this.#byPartner = new Map()
    this.#unknown = new Set()
  }

  #index(clientId: string, partnerId: string | undefined): void {
    if (partnerId === undefined) {
      // Entries beyond the bound were evicted from the LRU anyway; forgetting their ids only
      // means a new client may be refused until its entry expires.
      if (this.#unknown.size >= this.#maxEntries) this.#unknown.clear()
      this.#unknown.add(clientId)
      return
    }
    let clients = this.#byPartner.get(partnerId)
    if (clients === undefined) {
      clients = new Set()
      this.#byPartner.set(partnerId, clients)
    }
    clients.add(clientId)
  }

  #load(clientId: string): Promise<ClientEntry> {
    const generation = this.#generation
    // Keyed by generation too, so a caller after an invalidation never joins a stale load.
    return this.#loads.run(`${generation}\u0000${clientId}`, async () => {
      let client: Awaited<ReturnType<PartnerStore['getClient']>>
      let contracts: readonly Contract[]
      let partner: Awaited<ReturnType<PartnerStore['getPartner']>>
      try {
        client = await this.#store.getClient(clientId)
        contracts = client === undefined ? [] : await this.#store.listContracts(clientId)
        // A client whose partner cannot be read is refused, never let through.
        partner = client === undefined ? undefined : await this.#store.getPartner(client.partnerId)
      } catch (error) {
        // The store did not answer: refused with a retryable status, never let through.
        throw new GatewayError('GW_PARTNER_STORE_UNAVAILABLE', {
          reason: 'partner_store.unavailable',
          detail: (error as Error).message,
          headers: { 'Retry-After': '1' },
        })
      }
      const entry: ClientEntry = {
        status: client?.status,
        partnerId: client?.partnerId,
        partnerStatus: partner?.status,
        contracts: new Map(contracts.map((c) => [c.api, c])),
      }
      if (generation === this.#generation) {
        this.#entries.set(clientId, entry, this.#ttlMs)
        this.#index(clientId, entry.partnerId)
      }
      return entry
    })
  }
}
