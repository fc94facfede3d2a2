import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { partnersCommand } from '../../../src/cli/partners-command.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'

const dir = mkdtempSync(join(tmpdir(), 'fg-cli-input-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const key = randomBytes(32).toString('base64')
// Nothing listens there: every case below must be decided before the org is asked.
const env = { FORCEGATE_ENCRYPTION_KEY: key, FORCEGATE_ORG_URL: 'http://127.0.0.1:9' }

async function cli(args: readonly string[]) {
  let out = ''
  let err = ''
  const code = await partnersCommand(args, { out: (t) => (out += t), err: (t) => (err += t) }, env)
  return { code, out, err }
}

function openStore(path: string, usagePlans?: readonly string[]) {
  return new SqlitePartnerStore({
    path,
    secretBox: SecretBox.fromBase64(key),
    ...(usagePlans === undefined ? {} : { usagePlans }),
  })
}

/** Control characters other than the line feeds that end lines. */
const controls = (text: string) =>
  [...text].filter((c) => {
    const code = c.charCodeAt(0)
    return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f)
  })

const register = (store: string, ...extra: string[]) =>
  cli([
    'register',
    '--store',
    store,
    '--name',
    'Acme',
    '--redirect-uri',
    'https://acme.example/cb',
    '--api',
    'order-status',
    ...extra,
  ])

describe('forcegate partners: input the gateway would not accept', () => {
  it('refuses a usage plan the gateway does not have, naming it and the plans that exist', async () => {
    const store = join(dir, 'plans.db')
    await openStore(store, ['trial', 'standard']).close()
    const gold = await register(store, '--plan', 'gold')
    assert.equal(gold.code, 2, gold.err)
    assert.match(gold.err, /unknown usage plan "gold"; configured plans: standard, trial/)
    const json = await register(store, '--plan', 'gold', '--json')
    assert.equal(json.code, 2)
    assert.deepEqual(JSON.parse(json.err).error, {
      code: 'PARTNER_INVALID_INPUT',
      message: 'contracts[0].usagePlan: unknown usage plan "gold"; configured plans: standard, trial',
      field: 'contracts[0].usagePlan',
    })
  })

  it('refuses any plan while no gateway has recorded its plans in the store', async () => {
    const fresh = await register(join(dir, 'fresh.db'), '--plan', 'trial')
    assert.equal(fresh.code, 2)
    assert.match(fresh.err, /unknown usage plan "trial": no gateway has opened this store yet/)
  })

  it('refuses control characters in redirect URIs (exit 2, before the org)', async () => {
    const out = await cli([
      'register',
      '--store',
      join(dir, 'uri.db'),
      '--name',
      'Acme',
      '--redirect-uri',
      'https://acme.example/cb\u001b]0;owned\u0007',
      '--api',
      'order-status',
    ])
    assert.equal(out.code, 2)
    assert.match(out.err, /redirectUris\[0\]: must not contain control characters/)
    assert.deepEqual(controls(out.err), [])
  })

  it('escapes control characters a stored client holds when showing it', async () => {
    const path = join(dir, 'old.db')
    const store = openStore(path)
    await store.insertClient(
      {
        clientId: '3MVG9old',
        partnerId: 'Acme',
        name: 'Acme',
        redirectUris: ['https://acme.example/cb\u001b[2J\u001b[31m', 'https://acme.example/\u009b31m'],
        contact: undefined,
        grantedScopes: ['api'],
        status: 'active',
        registrationClientUri: 'https://org.example/services/oauth2/register/3MVG9old',
        clientIdIssuedAt: 1,
        clientSecretExpiresAt: 0,
        rotatedFrom: undefined,
        createdAt: 1,
        updatedAt: 1,
      },
      { clientSecret: 's', registrationAccessToken: 't' },
      [],
    )
    await store.close()

    const shown = await cli(['show', '3MVG9old', '--store', path])
    assert.equal(shown.code, 0, shown.err)
    assert.deepEqual(controls(shown.out), [])
    assert.match(
      shown.out,
      /https:\/\/acme\.example\/cb\\x1b\[2J\\x1b\[31m, https:\/\/acme\.example\/\\x9b31m/,
    )
    const json = await cli(['show', '3MVG9old', '--store', path, '--json'])
    assert.deepEqual(controls(json.out), [])
    assert.deepEqual(JSON.parse(json.out).partner.redirectUris, [
      'https://acme.example/cb\u001b[2J\u001b[31m',
      'https://acme.example/\u009b31m',
    ])
  })
})
