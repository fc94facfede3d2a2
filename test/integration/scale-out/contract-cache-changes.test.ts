import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { ContractCache } from '../../../src/partners/contract-cache.ts'
import type { Contract, PartnerClient, PartnerStore } from '../../../src/store/partner-store.ts'

function fakeStore(clients: Map<string, string>, reads: string[]): PartnerStore {
  const contract = (clientId: string): Contract => ({
    clientId,
    api: 'orders',
    scopes: [],
    usagePlan: undefined,
    status: 'active',
    createdAt: 0,
    updatedAt: 0,
  })
  return {
    getClient: async (clientId: string) => {
      reads.push(clientId)
      if (clientId === 'broken') throw new Error('connection terminated')
      const partnerId = clients.get(clientId)
      return partnerId === undefined
        ? undefined
        : ({ clientId, partnerId, status: 'active' } as PartnerClient)
    },
    listContracts: async (clientId: string) => [contract(clientId)],
    getPartner: async (partnerId: string) => ({ partnerId, status: 'active', createdAt: 0, updatedAt: 0 }),
  } as unknown as PartnerStore
}

describe('contract cache and changes from other instances', () => {
  it('drops the clients of one partner and unknown ids, keeps the others', async () => {
    const reads: string[] = []
    const clients = new Map([
      ['a1', 'acme'],
      ['a2', 'acme'],
      ['o1', 'other'],
    ])
    const cache = new ContractCache(fakeStore(clients, reads), { ttlMs: 60_000, maxEntries: 100 })
    for (const id of ['a1', 'a2', 'o1', 'new']) await cache.decide(id, 'orders')
    assert.equal((await cache.decide('new', 'orders')).status, 'none')
    reads.length = 0
    clients.set('new', 'acme')
    cache.dropPartner('acme')
    for (const id of ['a1', 'a2', 'o1', 'new']) await cache.decide(id, 'orders')
    assert.deepEqual(reads, ['a1', 'a2', 'new'])
    assert.equal((await cache.decide('new', 'orders')).status, 'active')
    reads.length = 0
    cache.clear()
    for (const id of ['a1', 'o1']) await cache.decide(id, 'orders')
    assert.deepEqual(reads, ['a1', 'o1'])
  })

  it('refuses with 503 and Retry-After when the store does not answer, caching nothing', async () => {
    const reads: string[] = []
    const cache = new ContractCache(fakeStore(new Map(), reads), { ttlMs: 60_000, maxEntries: 100 })
    for (let i = 0; i < 2; i++)
      await assert.rejects(
        cache.decide('broken', 'orders'),
        (e: unknown) =>
          e instanceof GatewayError &&
          e.code === 'GW_PARTNER_STORE_UNAVAILABLE' &&
          e.headers?.['Retry-After'] === '1',
      )
    assert.deepEqual(reads, ['broken', 'broken'])
  })
})
