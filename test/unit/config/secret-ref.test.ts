/**
 * Message vectors for secret references (`{ env }` or `{ file }`) resolved at start-up: a
 * reference → the value, or the exact message naming the file, the pointer of the field and
 * what is missing (never the value).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { resolveSalesforceOrgs } from '../../../src/config/resolve-salesforce-orgs.ts'
import { resolveSecret, type SecretRef, secretFilePath } from '../../../src/config/secret-ref.ts'
import { ConfigError } from '../../../src/errors/config-error.ts'

const AT = '/partners/encryption/key'
let dir: string
let FILE: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forcegate-secrets-'))
  FILE = join(dir, 'forcegate.yaml')
  await writeFile(join(dir, 'key.txt'), '  s3cret-key\n')
  await writeFile(join(dir, 'empty.txt'), '\n  \n')
})
after(() => rm(dir, { recursive: true, force: true }))

function message(ref: SecretRef, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveSecret(ref, FILE, AT, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  assert.fail('expected a configuration error')
}

describe('secret reference errors', () => {
  test('an unset variable', () => {
    assert.equal(
      message({ env: 'ORDERS_KEY' }),
      `${FILE}: ${AT}: the environment variable ORDERS_KEY is not set`,
    )
  })

  test('an empty variable is not a secret', () => {
    assert.equal(
      message({ env: 'ORDERS_KEY' }, { ORDERS_KEY: '' }),
      `${FILE}: ${AT}: the environment variable ORDERS_KEY is not set`,
    )
  })

  test('a variable npm start writes names its env file', () => {
    assert.equal(
      message({ env: 'FORCEGATE_ENCRYPTION_KEY' }),
      `${FILE}: ${AT}: the environment variable FORCEGATE_ENCRYPTION_KEY is not set (\`npm start\` writes it to .forcegate/forcegate.env, under FORCEGATE_HOME: load it with \`set -a; . .forcegate/forcegate.env; set +a\`)`,
    )
  })

  test('a file that cannot be read', () => {
    assert.equal(
      message({ file: 'no-such-key' }),
      `${FILE}: ${AT}: the secret file no-such-key cannot be read`,
    )
  })

  test('an empty file is not a secret', () => {
    assert.equal(message({ file: 'empty.txt' }), `${FILE}: ${AT}: the secret file empty.txt is empty`)
  })
})

describe('secret references that resolve', () => {
  test('a relative file is read beside forcegate.yaml, without its surrounding white space', () => {
    assert.equal(resolveSecret({ file: 'key.txt' }, FILE, AT, {}), 's3cret-key')
    assert.equal(secretFilePath('key.txt', FILE), join(dir, 'key.txt'))
    assert.equal(secretFilePath('/etc/key', FILE), '/etc/key')
    assert.equal(secretFilePath('key.txt', '(defaults)'), 'key.txt')
  })

  test('a variable is read from the environment given', () => {
    assert.equal(resolveSecret({ env: 'ORDERS_KEY' }, FILE, AT, { ORDERS_KEY: 'k' }), 'k')
  })
})

describe('Salesforce orgs resolved at start-up', () => {
  const org = {
    issuer: 'https://acme.my.salesforce.com//',
    orgId: '00D5g000004FgAt',
    introspection: { clientId: 'gateway-app', clientSecret: { env: 'ACME_SECRET' } },
    timeoutMs: 3000,
  }

  test('a missing introspection secret names the org in its pointer', () => {
    assert.throws(
      () => resolveSalesforceOrgs({ acme: org }, FILE, {}),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message ===
          `${FILE}: /salesforce/orgs/acme/introspection/clientSecret: the environment variable ACME_SECRET is not set`,
    )
  })

  test('an org is ready with its secret read and its issuer without a trailing slash', () => {
    const orgs = resolveSalesforceOrgs(
      {
        acme: org,
        dev: { issuer: 'http://127.0.0.1:4400', introspection: org.introspection, timeoutMs: 3000 },
      },
      FILE,
      { ACME_SECRET: 'x' },
    )
    assert.deepEqual(orgs.get('acme'), {
      issuer: 'https://acme.my.salesforce.com',
      orgId: '00D5g000004FgAt',
      introspection: { clientId: 'gateway-app', clientSecret: 'x' },
      timeoutMs: 3000,
    })
    assert.equal(orgs.get('dev')?.orgId, undefined)
  })
})
