/**
 * Message vectors for an org's integration user, read when a route or command first writes to
 * Salesforce as the gateway: the org's settings → the exact message with file, pointer and what
 * is missing, or the token source's inputs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { resolveIntegrationUser, salesforceWriteOrgs } from '../../../src/config/resolve-integration-user.ts'
import type { SalesforceOrgConfig } from '../../../src/config/salesforce-schema.ts'
import { ConfigError } from '../../../src/errors/config-error.ts'

const FILE = 'forcegate.yaml'
const BASE: SalesforceOrgConfig = {
  issuer: 'https://acme.my.salesforce.com/',
  introspection: { clientId: 'gateway-app', clientSecret: { env: 'ACME_INTROSPECTION' } },
  timeoutMs: 3000,
}
type User = NonNullable<SalesforceOrgConfig['integrationUser']>
const withUser = (user: Partial<User>): SalesforceOrgConfig => ({
  ...BASE,
  integrationUser: { grant: 'client_credentials', clientId: 'writer', refreshAfterSeconds: 900, ...user },
})

function message(org: SalesforceOrgConfig | undefined, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveIntegrationUser('acme', org, FILE, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  assert.fail('expected a configuration error')
}

const AT = '/salesforce/orgs/acme'

describe('integration user configuration errors', () => {
  test('an org that is not defined', () => {
    assert.equal(message(undefined), `${FILE}: /salesforce/orgs: no org named 'acme'`)
  })

  test('an org without an integration user', () => {
    assert.equal(
      message(BASE),
      `${FILE}: ${AT}: org 'acme' has no integrationUser (client credentials or JWT bearer)`,
    )
  })

  test('client credentials without a secret', () => {
    assert.equal(
      message(withUser({})),
      `${FILE}: ${AT}/integrationUser/clientSecret: client_credentials needs a clientSecret`,
    )
  })

  test('client credentials whose secret is not set', () => {
    assert.equal(
      message(withUser({ clientSecret: { env: 'ACME_WRITER_SECRET' } })),
      `${FILE}: ${AT}/integrationUser/clientSecret: the environment variable ACME_WRITER_SECRET is not set`,
    )
  })

  test('JWT bearer without a username names the missing one at its pointer', () => {
    assert.equal(
      message(withUser({ grant: 'jwt_bearer', privateKey: { env: 'ACME_KEY' } })),
      `${FILE}: ${AT}/integrationUser/username: jwt_bearer needs a username and a privateKey ({ env } or { file }); username is missing`,
    )
  })

  test('JWT bearer without a private key names the missing one at its pointer', () => {
    assert.equal(
      message(withUser({ grant: 'jwt_bearer', username: 'writer@acme.example' })),
      `${FILE}: ${AT}/integrationUser/privateKey: jwt_bearer needs a username and a privateKey ({ env } or { file }); privateKey is missing`,
    )
  })
})

describe('integration users that resolve', () => {
  test('client credentials: the token URL of the issuer, refreshed after its seconds', () => {
    const user = resolveIntegrationUser('acme', withUser({ clientSecret: { env: 'S' } }), FILE, { S: 'x' })
    assert.deepEqual(user, {
      org: 'acme',
      issuer: 'https://acme.my.salesforce.com',
      tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token',
      grant: 'client_credentials',
      clientId: 'writer',
      clientSecret: 'x',
      username: undefined,
      privateKeyPem: undefined,
      audience: 'https://acme.my.salesforce.com',
      refreshAfterMs: 900_000,
      timeoutMs: 3000,
    })
  })

  test('JWT bearer: the key read, the audience as given; an org is resolved only on first use', () => {
    const org = withUser({
      grant: 'jwt_bearer',
      username: 'writer@acme.example',
      privateKey: { env: 'K' },
      audience: 'https://login.salesforce.com',
    })
    const orgs = salesforceWriteOrgs({ acme: org }, FILE, { K: 'pem' })
    const acme = orgs.get('acme')
    assert.equal(acme?.issuer, 'https://acme.my.salesforce.com')
    const user = acme?.integrationUser()
    assert.equal(user?.privateKeyPem, 'pem')
    assert.equal(user?.audience, 'https://login.salesforce.com')
    assert.equal(salesforceWriteOrgs({ acme: BASE }, FILE, {}).size, 1)
  })
})
