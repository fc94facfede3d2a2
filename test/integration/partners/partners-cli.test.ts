import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { partnersCommand } from '../../../src/cli/partners-command.ts'
import { loadOrCreateEncryptionKey } from '../../../src/partners/encryption-key-file.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

let org: DevOrg
const dir = mkdtempSync(join(tmpdir(), 'fg-cli-'))

before(async () => {
  org = await startDevOrg({ port: 0 })
})
after(async () => {
  await org.close()
  rmSync(dir, { recursive: true, force: true })
})

async function cli(args: readonly string[], env: NodeJS.ProcessEnv) {
  let out = ''
  let err = ''
  const code = await partnersCommand(args, { out: (t) => (out += t), err: (t) => (err += t) }, env)
  return { code, out, err }
}

/** Opens the store as a gateway configured with these usage plans does, recording them. */
async function openAsGateway(storeFile: string, usagePlans: readonly string[], key?: string) {
  const loaded =
    key ?? loadOrCreateEncryptionKey(undefined, join(storeFile, '..', 'encryption.key'), storeFile).key
  const store = new SqlitePartnerStore({
    path: storeFile,
    secretBox: SecretBox.fromBase64(loaded),
    usagePlans,
  })
  await store.close()
}

describe('forcegate partners', () => {
  it('runs every verb end to end against the dev org, generating a key on first use', async () => {
    const store = join(dir, 'one', 'partners.db')
    const env = { FORCEGATE_ORG_URL: org.url, FORCEGATE_INITIAL_ACCESS_TOKEN: org.seed.initialAccessToken }
    const s = ['--store', store]

    const first = await cli(['list', ...s], env)
    assert.equal(first.code, 0, first.err)
    const keyFile = join(dir, 'one', 'encryption.key')
    assert.match(first.err, /Generated a new encryption key/)
    assert.equal(statSync(keyFile).mode & 0o777, 0o600)
    await openAsGateway(store, ['gold', 'silver'])

    const reg = await cli(
      [
        'register',
        ...s,
        '--name',
        'Acme Portal',
        '--redirect-uri',
        'https://partner.example/cb',
        '--api',
        'orders',
        '--api',
        'billing',
        '--plan',
        'gold',
      ],
      env,
    )
    assert.equal(reg.code, 0, reg.err)
    assert.equal(reg.err, '', 'the key is read from the file now, silently')
    const id = /client_id:\s+(\S+)/.exec(reg.out)?.[1]
    const secret = /client_secret:\s+(\S+)/.exec(reg.out)?.[1]
    assert.ok(id?.startsWith('3MVG9') && secret !== undefined, reg.out)
    assert.match(reg.out, /orders \[active\] scopes: api refresh_token; plan: gold/)

    const list = await cli(['list', ...s], env)
    assert.equal(list.code, 0)
    assert.match(list.out, /^CLIENT ID\s+STATUS\s+PARTNER\s+NAME\s+CONTRACTS$/m)
    assert.match(
      list.out,
      new RegExp(`^${id}\\s+active\\s+Acme Portal\\s+Acme Portal\\s+billing, orders$`, 'm'),
    )

    const shown = await cli(['show', id!, ...s, '--json'], env)
    assert.equal(shown.code, 0)
    assert.equal(JSON.parse(shown.out).partner.clientId, id)
    assert.equal(shown.out.includes(secret!), false)

    assert.match((await cli(['suspend', id!, ...s], env)).out, /Partner Acme Portal is now suspended/)
    assert.equal(JSON.parse((await cli(['resume', id!, ...s, '--json'], env)).out).partner.status, 'active')

    const rotated = await cli(['rotate', id!, ...s, '--json'], env)
    assert.equal(rotated.code, 0, rotated.err)
    const result = JSON.parse(rotated.out)
    assert.notEqual(result.credentials.clientId, id)
    assert.equal(result.previousClientRemoved, true)

    const gone = await cli(['show', id!, ...s], env)
    assert.equal(gone.code, 1)
    assert.match(gone.err, /PARTNER_NOT_FOUND/)

    const del = await cli(['delete', result.credentials.clientId, ...s], env)
    assert.equal(del.code, 0, del.err)
    assert.match(del.out, /Deleted .* at the org and locally/)
    assert.match((await cli(['list', ...s], env)).out, /No partner clients/)
  })

  it('fails loudly with a wrong key, and refuses to invent a key for an existing store', async () => {
    const store = join(dir, 'two', 'partners.db')
    const key = randomBytes(32).toString('base64')
    const env = {
      FORCEGATE_ORG_URL: org.url,
      FORCEGATE_INITIAL_ACCESS_TOKEN: org.seed.initialAccessToken,
      FORCEGATE_ENCRYPTION_KEY: key,
    }
    const reg = await cli(
      [
        'register',
        '--store',
        store,
        '--name',
        'A',
        '--redirect-uri',
        'https://a.example/cb',
        '--api',
        'orders',
        '--json',
      ],
      env,
    )
    assert.equal(reg.code, 0, reg.err)
    assert.equal(
      existsSync(join(dir, 'two', 'encryption.key')),
      false,
      'no key file when the env holds the key',
    )
    const wrong = await cli(['list', '--store', store, '--json'], {
      FORCEGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    })
    assert.equal(wrong.code, 1)
    assert.equal(JSON.parse(wrong.err).error.code, 'STORE_KEY_UNKNOWN')
    const none = await cli(['list', '--store', store], {})
    assert.equal(none.code, 1)
    assert.match(none.err, /no encryption key/)
    assert.equal(existsSync(join(dir, 'two', 'encryption.key')), false)
  })

  it('reports usage problems with exit code 2', async () => {
    const store = ['--store', join(dir, 'three', 'partners.db')]
    const env = { FORCEGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') }
    assert.equal((await cli([], env)).code, 2)
    assert.equal((await cli(['--help'], env)).code, 0)
    assert.equal((await cli(['frobnicate', ...store], env)).code, 2)
    assert.equal((await cli(['show', ...store], env)).code, 2)
    assert.equal((await cli(['list', '--bogus'], env)).code, 2)
    const noOrg = await cli(
      ['register', ...store, '--name', 'x', '--redirect-uri', 'https://x.example', '--api', 'a'],
      env,
    )
    assert.equal(noOrg.code, 2)
    assert.match(noOrg.err, /--org/)
    const badApi = await cli(
      [
        'register',
        ...store,
        '--org',
        org.url,
        '--name',
        'x',
        '--redirect-uri',
        'https://x.example',
        '--api',
        'bad api',
        '--json',
      ],
      env,
    )
    assert.equal(badApi.code, 2)
    assert.equal(JSON.parse(badApi.err).error.field, 'contracts[0].api')
  })

  it('names the refused redirect URI', async () => {
    const env = {
      FORCEGATE_ORG_URL: org.url,
      FORCEGATE_INITIAL_ACCESS_TOKEN: org.seed.initialAccessToken,
      FORCEGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    }
    const out = await cli(
      [
        'register',
        '--store',
        join(dir, 'four', 'p.db'),
        '--name',
        'x',
        '--redirect-uri',
        'http://x.example/cb',
        '--api',
        'a',
      ],
      env,
    )
    assert.equal(out.code, 1)
    assert.match(out.err, /redirect_uris\[0\] must use https .*\[DCR_INVALID_REDIRECT_URI\]/)
  })
})
