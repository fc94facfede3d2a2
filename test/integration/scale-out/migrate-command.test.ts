import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import { migrateCommand } from '../../../src/cli/migrate-command.ts'
import { UsageError } from '../../../src/cli/run-cli.ts'
import { PostgresPartnerStore } from '../../../src/store/postgres-partner-store.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'
import { runCli } from '../../helpers/cli-process.ts'
import { PostgresServer } from '../../helpers/postgres-server.ts'
import { serviceSuite } from '../../helpers/store-services.ts'
import { client, contract, SECRET, TOKEN } from '../../unit/store/partner-store-contract.ts'

function captured() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err }
}

serviceSuite(
  'forcegate migrate: a SQLite partner store into PostgreSQL',
  ['postgres'],
  { timeout: 120_000 },
  () => {
    let server: PostgresServer
    let dir: string
    let from: string
    const key = randomBytes(32)
    before(async () => {
      server = await PostgresServer.start()
      dir = mkdtempSync(join(tmpdir(), 'forcegate-migrate-'))
      from = join(dir, 'partners.db')
      const store = new SqlitePartnerStore({ path: from, secretBox: new SecretBox(key) })
      await store.insertClient(client('c1', 1000), { clientSecret: SECRET, registrationAccessToken: TOKEN }, [
        contract('c1', 'orders'),
        contract('c1', 'billing', 'pending'),
      ])
      await store.insertClient(
        client('c2', 2000),
        { clientSecret: undefined, registrationAccessToken: TOKEN },
        [],
      )
      // A suspended partner whose only client is gone: its suspension must survive the move.
      await store.insertClient(
        client('g1', 3000, 'gone'),
        { clientSecret: SECRET, registrationAccessToken: TOKEN },
        [],
      )
      await store.setPartnerStatus('gone', 'suspended', 4000)
      await store.deleteClient('g1')
      await store.appendEvent({ at: 10, clientId: 'c1', kind: 'registered', detail: undefined })
      await store.appendEvent({ at: 11, clientId: 'g1', kind: 'deleted', detail: 'by admin' })
      await store.close()
    })
    after(async () => {
      await server?.close()
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    })

    it('copies partners, clients, contracts, secrets and events, and copies nothing twice', async () => {
      const url = await server.createDatabase()
      const env = { MG_URL: url, FORCEGATE_ENCRYPTION_KEY: key.toString('base64') }
      const first = captured()
      assert.equal(
        await migrateCommand(['--from', from, '--to', 'env:MG_URL'], first.io, env),
        0,
        first.err.join(''),
      )
      const summary = first.out.join('')
      assert.match(summary, /partners\s+2 copied, 0 already there/)
      assert.match(summary, /clients\s+2 copied, 0 already there/)
      assert.match(summary, /contracts\s+2 copied, 0 already there/)
      assert.match(summary, /events\s+2 copied, 0 already there/)
      assert.ok(!summary.includes(url), 'the URL is not printed')

      const store = await PostgresPartnerStore.open({ url, secretBox: new SecretBox(key) })
      assert.deepEqual(await store.getClient('c1'), client('c1', 1000))
      assert.deepEqual(await store.getSecrets('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN })
      assert.deepEqual(await store.getSecrets('c2'), {
        clientSecret: undefined,
        registrationAccessToken: TOKEN,
      })
      assert.deepEqual(
        (await store.listContracts('c1')).map((c) => [c.api, c.status]),
        [
          ['billing', 'pending'],
          ['orders', 'active'],
        ],
      )
      assert.equal((await store.getPartner('gone'))?.status, 'suspended')
      assert.deepEqual(
        (await store.listEvents()).map((e) => [e.clientId, e.kind]),
        [
          ['g1', 'deleted'],
          ['c1', 'registered'],
        ],
      )
      await store.close()

      const again = captured()
      assert.equal(await migrateCommand(['--from', from, '--to', 'env:MG_URL'], again.io, env), 0)
      for (const name of ['partners', 'clients', 'contracts', 'events'])
        assert.match(again.out.join(''), new RegExp(`${name}\\s+0 copied, \\d+ already there`))
    })

    it('fails with exit 1 and the reason on a key that did not seal the store', async () => {
      const url = await server.createDatabase()
      const env = { MG_URL: url, FORCEGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') }
      const run = captured()
      assert.equal(await migrateCommand(['--from', from, '--to', 'env:MG_URL'], run.io, env), 1)
      assert.match(run.err.join(''), /not configured \(wrong or missing encryption key\)/)
    })

    it('takes the URL only from a variable or a file, never from the command line', async () => {
      await assert.rejects(
        migrateCommand(['--from', from, '--to', 'postgres://u:pw@127.0.0.1/x'], captured().io, {}),
        (e: unknown) => e instanceof UsageError && /env:NAME or file:PATH/.test(e.message),
      )
      await assert.rejects(migrateCommand(['--to', 'env:X'], captured().io, {}), UsageError)
    })

    it('takes the URL and the keys (with a previous one) from forcegate.yaml with --config', async () => {
      const url = await server.createDatabase()
      const config = join(dir, 'forcegate.yaml')
      writeFileSync(
        config,
        [
          'partners:',
          '  org: { url: "https://org.example" }',
          '  encryption:',
          '    key: { env: MG_NEW_KEY }',
          '    previousKeys: [{ env: MG_OLD_KEY }]',
          'stores:',
          '  postgres: { url: { env: MG_CONFIG_URL } }',
          '',
        ].join('\n'),
      )
      const newKey = randomBytes(32)
      const env = {
        MG_CONFIG_URL: url,
        MG_NEW_KEY: newKey.toString('base64'),
        MG_OLD_KEY: key.toString('base64'),
      }
      const run = captured()
      assert.equal(
        await migrateCommand(['--from', from, '--config', config], run.io, env),
        0,
        run.err.join(''),
      )
      assert.match(run.out.join(''), /clients\s+2 copied/)
      // Sealed again with the active key: the old one is no longer needed to read them.
      const store = await PostgresPartnerStore.open({ url, secretBox: new SecretBox(newKey) })
      assert.deepEqual(await store.getSecrets('c1'), { clientSecret: SECRET, registrationAccessToken: TOKEN })
      await store.close()
    })

    it('is a verb of the forcegate command: its help, and a usage error with status 2', async () => {
      const help = await runCli(['migrate', '--help'])
      assert.equal(help.code, 0, help.stderr)
      assert.match(help.stdout, /forcegate migrate --from <partners.db>/)
      const wrong = await runCli(['migrate', '--from', from, '--to', 'postgres://u:pw@127.0.0.1/x'])
      assert.equal(wrong.code, 2)
      assert.match(wrong.stderr, /--to takes env:NAME or file:PATH/)
      const path = join(dir, 'url')
      writeFileSync(path, await server.createDatabase())
      process.env.FORCEGATE_ENCRYPTION_KEY = key.toString('base64')
      try {
        const run = await runCli(['migrate', '--from', from, '--to', `file:${path}`])
        assert.equal(run.code, 0, run.stderr)
        assert.match(run.stdout, /clients\s+2 copied/)
      } finally {
        delete process.env.FORCEGATE_ENCRYPTION_KEY
      }
    })
  },
)
