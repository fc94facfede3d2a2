import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { packageAuthorizer } from '../../../src/export/authorizer-package.ts'
import { contractSnapshot } from '../../../src/export/contract-snapshot.ts'
import { exportOpenApi } from '../../../src/export/export-openapi.ts'
import { packageFunction } from '../../../src/export/function-package.ts'
import { readZip } from '../../../src/export/zip-archive.ts'
import { type Gateway, startGateway } from '../../../src/gateway.ts'
import { createLogger } from '../../../src/observability/logger.ts'
import { SecretBox } from '../../../src/store/secret-box.ts'
import { SqlitePartnerStore } from '../../../src/store/sqlite-partner-store.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { lambdaOp } from '../../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }

async function passwordToken(org: DevOrg, appName: string): Promise<string> {
  const app = org.seed.connectedApps.find((a) => a.name === appName)!
  const res = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      ...USER,
    }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return ((await res.json()) as { access_token: string }).access_token
}

const DOCUMENT = openapi(
  {
    '/orders': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['api'] }] } },
    '/orders/{orderId}': { get: { ...lambdaOp('whoami') } },
    '/web-only': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['web'] }] } },
  },
  {
    security: [{ salesforce: ['api'] }],
    components: {
      securitySchemes: {
        salesforce: {
          type: 'oauth2',
          flows: {
            clientCredentials: { tokenUrl: 'http://127.0.0.1/t', scopes: { api: 'API', web: 'Web' } },
          },
          'x-forcegate-salesforce': {
            org: 'devorg',
            contract: 'required',
            api: 'orders',
            cacheTtlSeconds: 300,
          },
        },
      },
    },
  },
)

/** What API Gateway's importer does with the variables of an imported document. */
function resolveImportVariables(doc: unknown): unknown {
  return JSON.parse(
    JSON.stringify(doc)
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the importer's variables, as AWS spells them
      .replaceAll('${AWS::Partition}', 'aws')
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the importer's variables, as AWS spells them
      .replaceAll('${AWS::Region}', 'us-east-1')
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the importer's variables, as AWS spells them
      .replaceAll('${AWS::AccountId}', '123456789012'),
  )
}

/** Unpacks a package as `<name>.mjs` (and what lies beside it) in a folder of its own. */
async function unpack(zip: Buffer, name: string, root: string): Promise<string> {
  const folder = join(root, name)
  await mkdir(folder)
  for (const entry of readZip(zip))
    await writeFile(join(folder, entry.name === 'index.mjs' ? `${name}.mjs` : entry.name), entry.data)
  return folder
}

describe('round trip with contracts: the exported authorizer decides contracts and suspensions as the project', () => {
  let org: DevOrg
  let original: TestGateway
  let exported: Gateway
  let dir: string
  const env = [
    'FORCEGATE_ORG_ISSUER',
    'FORCEGATE_ORG_ID',
    'FORCEGATE_ORG_CLIENT_ID',
    'FORCEGATE_ORG_CLIENT_SECRET',
  ]

  before(async () => {
    org = await startDevOrg({ port: 0 })
    dir = await mkdtemp(join(tmpdir(), 'forcegate-round-trip-contracts-'))
    const key = randomBytes(32).toString('base64')
    process.env.TEST_EXPORT_ENCRYPTION_KEY = key
    process.env.TEST_EXPORT_INITIAL_ACCESS_TOKEN = 'unused-here'
    const store = new SqlitePartnerStore({
      path: join(dir, 'partners.db'),
      secretBox: SecretBox.fromBase64(key),
    })
    const app = (name: string) => org.seed.connectedApps.find((a) => a.name === name)!.clientId
    const client = (clientId: string, partnerId: string, status: 'active' | 'suspended') => ({
      clientId,
      partnerId,
      name: partnerId,
      redirectUris: ['https://partner.example/cb'],
      contact: undefined,
      grantedScopes: ['api'],
      status,
      registrationClientUri: `${org.url}/services/oauth2/register/${clientId}`,
      clientIdIssuedAt: undefined,
      clientSecretExpiresAt: undefined,
      rotatedFrom: undefined,
      createdAt: 1,
      updatedAt: 1,
    })
    const contract = (clientId: string) => ({
      clientId,
      api: 'orders',
      scopes: ['api'],
      usagePlan: undefined,
      status: 'active' as const,
      createdAt: 1,
      updatedAt: 1,
    })
    const secrets = { clientSecret: undefined, registrationAccessToken: 'rat' }
    // Order Portal holds an active contract; Employee Blog's is suspended; Order Status JWT has none.
    await store.insertClient(client(app('Order Portal'), 'p1', 'active'), secrets, [
      contract(app('Order Portal')),
    ])
    await store.insertClient(client(app('Employee Blog'), 'p2', 'suspended'), secrets, [
      contract(app('Employee Blog')),
    ])
    await store.insertClient(client(app('Order Status JWT'), 'p3', 'active'), secrets, [])
    const snapshot = await contractSnapshot(store, new Set(['orders']))
    await store.close()
    original = await startTestGateway(
      DOCUMENT,
      { 'whoami.mjs': WHOAMI_HANDLER },
      [
        ...devorgSalesforceYaml(org, 'TEST_SF_INTROSPECTION_SECRET'),
        'partners:',
        `  org: { url: ${org.url}, initialAccessToken: { env: TEST_EXPORT_INITIAL_ACCESS_TOKEN } }`,
        `  store: { path: ${join(dir, 'partners.db')} }`,
        '  encryption: { key: { env: TEST_EXPORT_ENCRYPTION_KEY } }',
        '',
      ].join('\n'),
    )
    const result = exportOpenApi(DOCUMENT, {
      portal: false,
      partnersAdmin: false,
      excludeUnexportable: false,
    })
    await writeFile(join(dir, 'whoami-source.mjs'), WHOAMI_HANDLER)
    const folders = [
      await unpack(await packageFunction(join(dir, 'whoami-source.mjs')), 'whoami', dir),
      await unpack(
        await packageAuthorizer(
          {
            scheme: 'salesforce',
            accept: ['jwt', 'opaque', 'session'],
            scopeMatch: 'all',
            contractApi: 'orders',
            cacheTtlSeconds: 300,
            negativeCacheTtlSeconds: 10,
            routes: result.routes,
          },
          snapshot,
        ),
        'forcegate-authorizer-salesforce',
        dir,
      ),
    ]
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(resolveImportVariables(result.document)))
    const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)!
    process.env.FORCEGATE_ORG_ISSUER = org.issuer
    process.env.FORCEGATE_ORG_ID = org.orgId
    process.env.FORCEGATE_ORG_CLIENT_ID = gatewayApp.clientId
    process.env.FORCEGATE_ORG_CLIENT_SECRET = gatewayApp.clientSecret
    exported = await startGateway({
      apiFile: join(dir, 'openapi.json'),
      functionsFolders: folders,
      port: 0,
      logger: createLogger('silent'),
    })
  })
  after(async () => {
    await exported?.close()
    await original?.close()
    await org?.close()
    for (const name of [...env, 'TEST_EXPORT_ENCRYPTION_KEY', 'TEST_EXPORT_INITIAL_ACCESS_TOKEN'])
      delete process.env[name]
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  test('allowed, no contract, suspended, missing scope, missing token, unknown route: response by response', async () => {
    const partner = await passwordToken(org, 'Order Portal')
    const noContract = await passwordToken(org, 'Order Status JWT')
    const suspended = await passwordToken(org, 'Employee Blog')
    const table: [string, string | undefined][] = [
      ['/orders', partner],
      ['/orders/1001', partner],
      ['/orders', noContract],
      ['/orders', suspended],
      ['/web-only', partner],
      ['/orders', undefined],
      ['/nowhere', partner],
    ]
    const statuses: number[] = []
    for (const [path, token] of table) {
      const init = token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }
      const [a, b] = await Promise.all([
        fetch(`${original.url}${path}`, init),
        fetch(`${exported.url}${path}`, init),
      ])
      const what = `${path} ${token === undefined ? 'without a token' : token.slice(0, 8)}`
      assert.equal(b.status, a.status, what)
      statuses.push(a.status)
      const [bodyA, bodyB] = [await a.text(), await b.text()]
      if (a.status !== 200) assert.equal(bodyB, bodyA, what)
      else
        assert.equal(
          (JSON.parse(bodyB) as { clientId: string }).clientId,
          (JSON.parse(bodyA) as { clientId: string }).clientId,
        )
    }
    assert.deepEqual(statuses, [200, 200, 403, 403, 403, 401, 403])
  })
})
