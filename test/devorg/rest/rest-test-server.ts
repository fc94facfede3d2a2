// Starts the REST slice on a real HTTP server with a fake token check, for the tests in this
// folder. Token `good` is a valid session; anything else is not.

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import type { Faults } from '../../../devorg/faults.ts'
import { createRestApi, type RestApi, type RestApiDeps } from '../../../devorg/rest/index.ts'
import { toId18 } from '../../../devorg/rest/record-id.ts'
import type { DevOrgSeed } from '../../../devorg/seed/seed-types.ts'

export const USER_ID = toId18('0055g00000TstUs')
export const SEED_ACCOUNT = toId18('0015g00000Seed1')
export const SEED_CONTACT = toId18('0035g00000Seed1')

export function testSeed(): DevOrgSeed {
  return {
    org: { id: '00D5g00000OrgAAAA', name: 'Test Org', myDomain: 'test-org' },
    users: [
      {
        username: 'ada@example.com',
        password: 'x',
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'L',
        active: true,
      },
    ],
    connectedApps: [],
    objects: [
      { name: 'Contact', fields: [{ name: 'Customer_Id__c', type: 'string', externalId: true }] },
      {
        name: 'Customer__c',
        label: 'Customer',
        fields: [
          { name: 'External_Id__c', type: 'string', externalId: true },
          { name: 'Tier__c', type: 'string' },
          { name: 'Score__c', type: 'number' },
          { name: 'Active__c', type: 'boolean' },
          { name: 'Signed_On__c', type: 'date' },
          { name: 'Contact__c', type: 'reference', referenceTo: 'Contact' },
        ],
      },
      {
        name: 'Order_Shipped__e',
        fields: [
          { name: 'Order_Number__c', type: 'string' },
          { name: 'Shipped_At__c', type: 'datetime' },
        ],
      },
    ],
    records: {
      Account: [{ Id: '0015g00000Seed1', Name: 'Seed Account', Industry: 'Energy' }],
      Contact: [{ Id: SEED_CONTACT, LastName: 'Seeded', FirstName: 'Sam', AccountId: SEED_ACCOUNT }],
    },
  }
}

const goodTokenOnly: RestApiDeps['authenticate'] = (token) =>
  token === 'good'
    ? {
        userId: USER_ID,
        orgId: '00D5g00000OrgAAAA',
        username: 'ada@example.com',
        clientId: 'app',
        scopes: ['api'],
      }
    : null

export type TestServer = {
  url: string
  api: RestApi
  faults: Faults
  db: DatabaseSync
  /** `METHOD path` of every request the server received, in order. */
  requests: string[]
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>
  close(): Promise<void>
}

export type CallOptions = {
  body?: unknown
  token?: string | null
  headers?: Record<string, string>
  raw?: RequestInit['body']
}
export type CallResult = { status: number; headers: Headers; json: unknown; text: string; bytes: Buffer }

export async function startTestServer(
  opts: {
    seed?: DevOrgSeed
    db?: DatabaseSync
    faults?: Partial<Faults>
    authenticate?: RestApiDeps['authenticate']
    log?: (line: string) => void
  } = {},
): Promise<TestServer> {
  const faults: Faults = {
    slowMs: 0,
    unavailable: false,
    requestLimitExceeded: false,
    introspectionDown: false,
    ...opts.faults,
  }
  const db = opts.db ?? new DatabaseSync(':memory:')
  let base = ''
  const api = createRestApi({
    db,
    orgId: '00D5g00000OrgAAAA',
    baseUrl: () => base,
    authenticate: opts.authenticate ?? goodTokenOnly,
    seed: opts.seed ?? testSeed(),
    faults,
    ...(opts.log ? { log: opts.log } : {}),
  })
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    void api.handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    api,
    faults,
    db,
    requests,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers }
      const token = o.token === undefined ? 'good' : o.token
      if (token !== null && !('Authorization' in headers)) headers.Authorization = `Bearer ${token}`
      let body: RequestInit['body'] = o.raw
      if (o.body !== undefined) {
        body = JSON.stringify(o.body)
        headers['Content-Type'] ??= 'application/json'
      }
      const res = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body }) })
      const bytes = Buffer.from(await res.arrayBuffer())
      const text = bytes.toString('utf8')
      let json: unknown = null
      if (res.headers.get('content-type')?.startsWith('application/json')) json = JSON.parse(text)
      return { status: res.status, headers: res.headers, json, text, bytes }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** Path under the current API version. */
export const v = (path: string, version = '66.0') => `/services/data/v${version}${path}`
