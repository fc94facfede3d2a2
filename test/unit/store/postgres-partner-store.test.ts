import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import pg from 'pg'
import { PARTNER_CHANNEL, POSTGRES_SCHEMA_VERSION } from '../../../src/store/postgres-migrations.ts'
import { PostgresPartnerStore } from '../../../src/store/postgres-partner-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { StoreError } from '../../../src/store/store-error.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { client, contract, keyA, partnerStoreContract, SECRET, TOKEN } from './partner-store-contract.ts'

serviceSuite('PostgresPartnerStore', ['postgres'], { timeout: 120_000 }, () => {
  let server: PostgresServer
  before(async () => {
    server = await PostgresServer.start()
  })
  after(() => server?.close())

  partnerStoreContract({
    fresh: () => server.createDatabase(),
    open: (url, secretBox) => PostgresPartnerStore.open({ url, secretBox }),
  })

  it('keeps secrets sealed at rest: the raw row holds no plaintext', async () => {
    const url = await server.createDatabase()
    const store = await PostgresPartnerStore.open({ url, secretBox: new SecretBox(keyA) })
    await store.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    await store.close()
    const raw = new pg.Client({ connectionString: url })
    await raw.connect()
    const { rows } = await raw.query('SELECT * FROM partner_clients')
    const schema = await raw.query('SELECT version FROM forcegate_schema')
    await raw.end()
    for (const value of Object.values(rows[0] as Record<string, unknown>)) {
      const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value))
      assert.equal(bytes.includes('PLAINTEXT-marker'), false)
    }
    assert.ok(Buffer.isBuffer(rows[0].client_secret))
    assert.equal(schema.rows[0].version, POSTGRES_SCHEMA_VERSION)
  })

  it('bumps the partner version on every change and announces it in the same transaction', async () => {
    const url = await server.createDatabase()
    const store = await PostgresPartnerStore.open({ url, secretBox: new SecretBox(keyA) })
    const listener = new pg.Client({ connectionString: url })
    await listener.connect()
    const heard: unknown[] = []
    listener.on('notification', (n) => heard.push(JSON.parse(n.payload ?? 'null')))
    await listener.query(`LISTEN ${PARTNER_CHANNEL}`)
    await store.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [
      contract('c1', 'orders'),
    ])
    const versions = [await store.partnerVersion('acme')]
    await store.setPartnerStatus('acme', 'suspended', 2000)
    versions.push(await store.partnerVersion('acme'))
    await store.setClientStatus('c1', 'suspended', 2100)
    versions.push(await store.partnerVersion('acme'))
    await store.putContract({ ...contract('c1', 'orders'), status: 'suspended' })
    versions.push(await store.partnerVersion('acme'))
    await store.deleteClient('c1')
    versions.push(await store.partnerVersion('acme'))
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `${versions}`)
    // A refused change announces nothing.
    await assert.rejects(
      store.insertClient(client('c2'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [
        contract('missing-client', 'orders'),
      ]),
    )
    await listener.query('SELECT 1')
    assert.deepEqual(
      heard,
      versions.map((version) => ({ partnerId: 'acme', version })),
    )
    assert.deepEqual(
      (await store.changesSince(versions[3]!)).map((c) => c.version),
      [versions[4]],
    )
    await listener.end()
    await store.close()
  })

  it('two instances opening one new database together migrate it once', async () => {
    const url = await server.createDatabase()
    const stores = await Promise.all(
      [1, 2, 3].map(() => PostgresPartnerStore.open({ url, secretBox: new SecretBox(keyA) })),
    )
    await stores[0]!.insertClient(client('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [])
    assert.equal((await stores[2]!.getClient('c1'))?.clientId, 'c1')
    await Promise.all(stores.map((s) => s.close()))
  })

  it('gives up on an unreachable server within its timeout', async () => {
    const started = Date.now()
    await assert.rejects(
      PostgresPartnerStore.open({
        url: 'postgres://postgres@127.0.0.1:1/none',
        secretBox: new SecretBox(keyA),
        queryTimeoutMs: 300,
      }),
      (e: unknown) => !(e instanceof StoreError),
    )
    assert.ok(Date.now() - started < 3000)
  })
})
