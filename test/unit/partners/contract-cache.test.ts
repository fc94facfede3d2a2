import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ContractCache, usageKeyOf } from '../../../src/partners/contract-cache.ts'
import type { Contract, Partner, PartnerClient, PartnerStore } from '../../../src/store/partner-store.ts'

/** Just the reads the cache makes, counted, with a gate to hold a load in flight. */
function fakeStore() {
  const state = {
    status: 'active' as PartnerClient['status'],
    contractStatus: 'active' as Contract['status'],
    partnerStatus: 'active' as Partner['status'] | undefined,
    reads: 0,
    gate: undefined as Promise<void> | undefined,
  }
  const store = {
    async getClient(clientId: string) {
      state.reads++
      const status = state.status
      // One-shot: only the load that found the gate waits on it.
      const gate = state.gate
      state.gate = undefined
      await gate
      return clientId === 'c1' ? ({ clientId, partnerId: 'acme', status } as PartnerClient) : undefined
    },
    async getPartner(partnerId: string) {
      const status = state.partnerStatus
      return status === undefined ? undefined : ({ partnerId, status } as Partner)
    },
    async listContracts(clientId: string) {
      return [
        {
          clientId,
          api: 'orders',
          scopes: ['api'],
          usagePlan: 'gold',
          status: state.contractStatus,
          createdAt: 0,
          updatedAt: 0,
        } satisfies Contract,
      ]
    },
  } as unknown as PartnerStore
  return { store, state }
}

describe('ContractCache', () => {
  it('reads the store once per client per TTL, for known and unknown clients alike', async () => {
    let now = 0
    const { store, state } = fakeStore()
    const cache = new ContractCache(store, { ttlMs: 1000, maxEntries: 10, clock: () => now })
    const results = await Promise.all([
      cache.decide('c1', 'orders'),
      cache.decide('c1', 'orders'),
      cache.decide('c1', 'x'),
    ])
    assert.deepEqual(results[0], {
      status: 'active',
      scopes: ['api'],
      usagePlan: 'gold',
      usageKey: usageKeyOf('acme', 'orders'),
    })
    assert.equal(results[2]!.status, 'none')
    assert.equal(state.reads, 1, 'concurrent callers share one load')
    await cache.decide('nobody', 'orders')
    await cache.decide('nobody', 'orders')
    assert.equal(state.reads, 2)
    state.status = 'suspended'
    assert.equal((await cache.decide('c1', 'orders')).status, 'active', 'served from memory within the TTL')
    now = 1000
    assert.equal((await cache.decide('c1', 'orders')).status, 'suspended', 'reloaded after the TTL')
  })

  it('suspension of the client wins over an active contract; invalidate takes effect at once', async () => {
    const { store, state } = fakeStore()
    const cache = new ContractCache(store, { ttlMs: 60_000, maxEntries: 10 })
    state.contractStatus = 'pending'
    assert.equal((await cache.decide('c1', 'orders')).status, 'pending')
    state.status = 'suspended'
    cache.invalidate('c1')
    assert.equal((await cache.decide('c1', 'orders')).status, 'suspended')
  })

  it('does not cache a load that an invalidation overtook', { timeout: 2000 }, async () => {
    const { store, state } = fakeStore()
    const cache = new ContractCache(store, { ttlMs: 60_000, maxEntries: 10 })
    let open!: () => void
    state.gate = new Promise((resolve) => (open = resolve))
    const stale = cache.decide('c1', 'orders') // reads status 'active', then waits
    state.status = 'suspended'
    cache.invalidate('c1')
    // Must not join the stale load; it finishes first, then the stale load lands.
    assert.equal((await cache.decide('c1', 'orders')).status, 'suspended')
    open()
    assert.equal((await stale).status, 'active')
    assert.equal((await cache.decide('c1', 'orders')).status, 'suspended', 'the stale answer was not cached')
  })
  it("a suspended partner suspends its clients' contracts; a partner that cannot be read refuses", async () => {
    const { store, state } = fakeStore()
    const cache = new ContractCache(store, { ttlMs: 60_000, maxEntries: 10 })
    state.partnerStatus = 'suspended'
    assert.equal((await cache.decide('c1', 'orders')).status, 'suspended')
    state.partnerStatus = undefined
    cache.invalidate('c1')
    assert.equal((await cache.decide('c1', 'orders')).status, 'suspended')
    state.partnerStatus = 'active'
    cache.invalidate('c1')
    assert.equal((await cache.decide('c1', 'orders')).status, 'active')
  })

  it('counts usage under the partner and the API, not the client id', () => {
    assert.equal(usageKeyOf('acme', 'orders'), usageKeyOf('acme', 'orders'))
    assert.notEqual(usageKeyOf('acme', 'orders'), usageKeyOf('acme', 'billing'))
    assert.notEqual(usageKeyOf('a', 'b\u0000c'), usageKeyOf('a\u0000b', 'c'))
  })
})
