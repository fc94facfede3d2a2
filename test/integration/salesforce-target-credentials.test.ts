import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { inspect } from 'node:util'
import { Agent } from 'undici'
import { type DevOrg, type DevOrgSeed, startDevOrg } from '../../devorg/index.ts'
import { CallerToken } from '../../src/integrations/salesforce/caller-token.ts'
import { createIntegrationUserToken } from '../../src/integrations/salesforce/integration-user-token.ts'
import { SalesforceRest } from '../../src/integrations/salesforce/salesforce-rest.ts'
import { devorgSalesforceYaml } from '../helpers/devorg-gateway-config.ts'
import { openapi, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts'
import { soql } from './salesforce-target-support.ts'

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
})

function seedWithCertificate(): DevOrgSeed {
  const seed = JSON.parse(
    readFileSync(new URL('../../devorg/seed/default-seed.json', import.meta.url), 'utf8'),
  ) as DevOrgSeed
  seed.connectedApps = seed.connectedApps.map((a) =>
    a.name === 'forcegate Gateway' ? { ...a, certificate: publicKey } : a,
  )
  return seed
}

describe('the integration user by JWT bearer, through a route', () => {
  let org: DevOrg
  let gw: TestGateway
  let keyDir: string
  before(async () => {
    org = await startDevOrg({ port: 0, seed: seedWithCertificate() })
    keyDir = await mkdtemp(join(tmpdir(), 'forcegate-key-'))
    const keyFile = join(keyDir, 'integration-key.pem')
    await writeFile(keyFile, privateKey, { mode: 0o600 })
    const app = org.seed.connectedApps.find((a) => a.name === 'forcegate Gateway')!
    gw = await startTestGateway(
      openapi({
        '/customers': {
          post: {
            'x-forcegate-salesforce-integration': {
              org: 'devorg',
              credential: 'integrationUser',
              operation: 'upsert',
              sobject: 'Contact',
              externalIdField: 'Customer_Id__c',
            },
          },
        },
      }),
      {},
      [
        ...devorgSalesforceYaml(org, 'TEST_SF_JWT_SECRET'),
        '      integrationUser:',
        '        grant: jwt_bearer',
        `        clientId: ${app.clientId}`,
        '        username: integration@forcegate.example.com',
        `        privateKey: { file: ${keyFile} }`,
        '',
      ].join('\n'),
    )
  })
  after(async () => {
    await gw?.close()
    await org?.close()
    await rm(keyDir, { recursive: true, force: true })
  })

  test('a signed assertion mints the token the write uses', async () => {
    const res = await fetch(`${gw.url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Customer_Id__c: 'JWT-1', LastName: 'Bearer' }),
    })
    assert.equal(res.status, 201, await res.clone().text())
    assert.equal((await soql(org, "SELECT COUNT() FROM Contact WHERE Customer_Id__c = 'JWT-1'")).totalSize, 1)
  })
})

describe('the integration user token: refreshed before expiry, minted again when refused', () => {
  let org: DevOrg
  let agent: Agent
  before(async () => {
    org = await startDevOrg({ port: 0 })
    agent = new Agent()
  })
  after(async () => {
    await agent?.close()
    await org?.close()
  })

  const settings = (o: DevOrg) => {
    const app = o.seed.connectedApps.find((a) => a.name === 'forcegate Gateway')!
    return {
      tokenUrl: `${o.url}/services/oauth2/token`,
      grant: 'client_credentials' as const,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      username: undefined,
      privateKeyPem: undefined,
      audience: o.issuer,
      refreshAfterMs: 60_000,
      timeoutMs: 5_000,
    }
  }

  test('kept until refreshAfter, then minted again; one mint serves concurrent callers', async () => {
    let now = 1_000_000
    const source = createIntegrationUserToken(settings(org), { clock: () => now })
    const minted = org.counters.token
    const [a, b] = await Promise.all([source.session(), source.session()])
    assert.equal(a, b)
    assert.equal(org.counters.token, minted + 1)
    now += 59_999
    assert.equal(await source.session(), a)
    now += 1
    const fresh = await source.session()
    assert.notEqual(fresh.accessToken, a.accessToken)
    assert.equal(org.counters.token, minted + 2)
  })

  test('a token the org refuses (401) is minted again once and the call succeeds', async () => {
    const source = createIntegrationUserToken(settings(org))
    const first = await source.session()
    const revoked = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: first.accessToken }),
    })
    assert.equal(revoked.status, 200)
    const rest = new SalesforceRest({ dispatcher: agent, timeoutMs: 5_000 })
    const answer = await rest.call({ kind: 'integrationUser', source }, { method: 'GET', path: '/limits' })
    assert.equal(answer.status, 200)
    assert.notEqual((await source.session()).accessToken, first.accessToken)
  })

  test('a refused grant is a gateway failure that names the grant, not the secret', async () => {
    const source = createIntegrationUserToken({ ...settings(org), clientSecret: 'wrong-secret-value' })
    const rest = new SalesforceRest({ dispatcher: agent, timeoutMs: 5_000 })
    await assert.rejects(
      rest.call({ kind: 'integrationUser', source }, { method: 'GET', path: '/limits' }),
      (err: Error & { code?: string; detail?: string }) => {
        assert.equal(err.code, 'GW_INTEGRATION_FAILURE')
        assert.match(err.detail ?? '', /client_credentials grant \(invalid_client/)
        assert.equal(JSON.stringify(err).includes('wrong-secret-value'), false)
        return true
      },
    )
  })
})

test("the caller's token never prints", () => {
  const token = new CallerToken('00D5g000004FgAt!AQ4AQSecretValue')
  const shown = [JSON.stringify({ token }), inspect({ token }), String(token), `${token}`]
  for (const text of shown) assert.equal(text.includes('SecretValue'), false, text)
  assert.equal(token.bearer(), 'Bearer 00D5g000004FgAt!AQ4AQSecretValue')
})
