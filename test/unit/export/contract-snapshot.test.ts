import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contractSnapshot } from '../../../src/export/contract-snapshot.ts'

const client = (clientId: string, partnerId: string, status: 'active' | 'suspended' = 'active') =>
  ({ clientId, partnerId, status }) as never
const contract = (clientId: string, api: string, status: 'active' | 'pending' | 'suspended' = 'active') =>
  ({ clientId, api, status, scopes: ['api'], usagePlan: undefined }) as never

test("the snapshot decides as the gateway's contract cache: a suspended client or partner suspends its contracts", async () => {
  const store = {
    listClients: async () => [
      client('c1', 'p1'),
      client('c2', 'p1', 'suspended'),
      client('c3', 'p2'),
      client('c4', 'p3'),
    ],
    getPartner: async (id: string) =>
      ({ p1: { partnerId: 'p1', status: 'active' }, p2: { partnerId: 'p2', status: 'suspended' } })[
        id
      ] as never,
    listContracts: async (id: string) =>
      ({
        c1: [contract('c1', 'orders'), contract('c1', 'billing'), contract('c1', 'other', 'pending')],
        c2: [contract('c2', 'orders')],
        c3: [contract('c3', 'orders')],
        c4: [contract('c4', 'orders')],
      })[id] ?? [],
  }
  assert.deepEqual(await contractSnapshot(store, new Set(['orders', 'other'])), {
    c1: { orders: { status: 'active', scopes: ['api'] }, other: { status: 'pending', scopes: ['api'] } },
    c2: { orders: { status: 'suspended', scopes: ['api'] } },
    c3: { orders: { status: 'suspended', scopes: ['api'] } },
    c4: { orders: { status: 'suspended', scopes: ['api'] } },
  })
})
