/**
 * Secrets in one run: a start with several secrets missing names every one of them (the
 * variable or file, and its pointer in forcegate.yaml), and the ones `npm start` writes name
 * its env file.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { missingSecrets } from '../../../src/config/missing-secrets.ts'
import { ConfigErrors } from '../../../src/errors/config-error.ts'
import { DcrClient } from '../../../src/partners/dcr-client.ts'
import { lambdaOp } from '../../helpers/temp-api.ts'
import { openapi, startTestGateway } from '../../helpers/test-gateway.ts'

const CONFIG = `
salesforce:
  orgs:
    devorg:
      issuer: http://127.0.0.1:4400
      orgId: 00D5g000004FgAt
      introspection:
        clientId: gateway-app
        clientSecret: { env: FG_TEST_MISSING_SF_SECRET }
partners:
  org:
    url: http://127.0.0.1:4400
    initialAccessToken: { env: FG_TEST_MISSING_INITIAL_TOKEN }
  store:
    path: partners.db
  encryption:
    key: { env: FORCEGATE_ENCRYPTION_KEY }
  usagePlans: []
  admin:
    token: { file: no-such-admin-token }
`

describe('missing secrets, all in one run', () => {
  test('a start names every missing secret with its pointer and line, and stops before opening anything', async () => {
    const saved = process.env.FORCEGATE_ENCRYPTION_KEY
    delete process.env.FORCEGATE_ENCRYPTION_KEY
    try {
      await assert.rejects(
        startTestGateway(
          openapi({ '/a': { get: lambdaOp('a') } }),
          { 'a.mjs': 'export const handler = async () => ({ statusCode: 200 })\n' },
          CONFIG,
        ),
        (err: unknown) => {
          assert.ok(err instanceof ConfigErrors, String(err))
          const messages = err.errors.map((e) => e.message.replace(/^.*forcegate\.yaml/, 'forcegate.yaml'))
          assert.deepEqual(messages, [
            'forcegate.yaml:9: /salesforce/orgs/devorg/introspection/clientSecret: the environment variable FG_TEST_MISSING_SF_SECRET is not set',
            'forcegate.yaml:17: /partners/encryption/key: the environment variable FORCEGATE_ENCRYPTION_KEY is not set (`npm start` writes it to .forcegate/forcegate.env, under FORCEGATE_HOME: load it with `set -a; . .forcegate/forcegate.env; set +a`)',
            'forcegate.yaml:20: /partners/admin/token: the secret file no-such-admin-token cannot be read',
          ])
          return true
        },
      )
    } finally {
      if (saved !== undefined) process.env.FORCEGATE_ENCRYPTION_KEY = saved
    }
  })

  test('the registration token, the relay and its subscriptions are not needed to start', () => {
    const config = {
      partners: { org: { initialAccessToken: { env: 'FG_TEST_UNSET_A' } } },
      relay: { orgs: { o: { clientSecret: { env: 'FG_TEST_UNSET_B' } } } },
      subscriptions: [{ target: { url: { headers: { 'x-key': { env: 'FG_TEST_UNSET_C' } } } } }],
      portal: { client: { clientSecret: { env: 'FG_TEST_SET' } } },
    }
    assert.deepEqual(
      missingSecrets(config, 'forcegate.yaml', () => undefined, { FG_TEST_SET: 'x' }),
      [],
    )
  })

  test('an empty variable counts as missing', () => {
    const [error] = missingSecrets({ a: [{ env: 'FG_EMPTY' }] }, 'f.yaml', () => 3, { FG_EMPTY: '' })
    assert.equal(error?.message, 'f.yaml:3: /a/0: the environment variable FG_EMPTY is not set')
  })
})

describe('registering a partner without an initial access token', () => {
  test('names the variable, the setting that can name another, and the env file', async () => {
    const client = new DcrClient({ orgUrl: 'http://127.0.0.1:9', initialAccessToken: () => undefined })
    await assert.rejects(
      client.register({ clientName: 'Acme', redirectUris: ['https://acme.example/cb'], scopes: [] }),
      {
        message:
          'no initial access token is configured for registration: set FORCEGATE_INITIAL_ACCESS_TOKEN, or the variable or file that partners.org.initialAccessToken names in forcegate.yaml (`npm start` writes it to .forcegate/forcegate.env, under FORCEGATE_HOME: load it with `set -a; . .forcegate/forcegate.env; set +a`)',
      },
    )
  })
})
