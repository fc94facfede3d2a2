import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { type DevOrg, startDevOrg } from '../../../devorg/index.ts'
import { packageAuthorizer } from '../../../src/export/authorizer-package.ts'
import { exportOpenApi } from '../../../src/export/export-openapi.ts'
import type { AuthorizerResult, RestRequestAuthorizerEvent } from '../../../src/export/rest-authorizer.ts'
import { readZip } from '../../../src/export/zip-archive.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../../helpers/devorg-gateway-config.ts'
import { lambdaOp } from '../../helpers/temp-api.ts'
import { openapi, startTestGateway, type TestGateway } from '../../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const API_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5'

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
    '/orders/{orderId}': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['api'] }] } },
    '/web-only': { get: { ...lambdaOp('whoami'), security: [{ salesforce: ['web'] }] } },
  },
  {
    components: {
      securitySchemes: {
        salesforce: {
          type: 'oauth2',
          flows: {
            clientCredentials: { tokenUrl: 'http://127.0.0.1/t', scopes: { api: 'API', web: 'Web' } },
          },
          'x-forcegate-salesforce': { org: 'devorg', contract: 'none', cacheTtlSeconds: 300 },
        },
      },
    },
  },
)

/** A REST REQUEST authorizer event as API Gateway sends it (aws-api-gateway.md §2.3). */
function requestEvent(
  method: string,
  resource: string,
  path: string,
  token?: string,
): RestRequestAuthorizerEvent {
  const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` }
  return {
    type: 'REQUEST',
    methodArn: `${API_ARN}/prod/${method}${path}`,
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    pathParameters: {},
    stageVariables: {},
    requestContext: { resourcePath: resource, httpMethod: method, stage: 'prod', apiId: 'a1b2c3d4e5' },
  } as RestRequestAuthorizerEvent
}

/** What API Gateway answers for an authorizer's result on this method (cached or not). */
function decision(result: AuthorizerResult | Error, methodArn: string): number {
  if (result instanceof Error) return result.message === 'Unauthorized' ? 401 : 500
  const allows = result.policyDocument.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Resource]
        .flat()
        .some((r) =>
          new RegExp(`^${r.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(methodArn),
        ),
  )
  const denies = result.policyDocument.Statement.some((s) => s.Effect === 'Deny')
  return allows && !denies ? 200 : 403
}

describe('the exported Salesforce authorizer, invoked as Lambda invokes it, decides as the gateway', () => {
  let org: DevOrg
  let gw: TestGateway
  let dir: string
  let handler: (event: RestRequestAuthorizerEvent) => Promise<AuthorizerResult>
  const env = [
    'FORCEGATE_ORG_ISSUER',
    'FORCEGATE_ORG_ID',
    'FORCEGATE_ORG_CLIENT_ID',
    'FORCEGATE_ORG_CLIENT_SECRET',
  ]

  before(async () => {
    org = await startDevOrg({ port: 0 })
    gw = await startTestGateway(
      DOCUMENT,
      { 'whoami.mjs': WHOAMI_HANDLER },
      [...devorgSalesforceYaml(org, 'TEST_SF_INTROSPECTION_SECRET'), ''].join('\n'),
    )
    const exported = exportOpenApi(DOCUMENT, {
      portal: false,
      partnersAdmin: false,
      excludeUnexportable: false,
    })
    const zip = await packageAuthorizer(
      {
        scheme: 'salesforce',
        accept: ['jwt', 'opaque', 'session'],
        scopeMatch: 'all',
        contractApi: undefined,
        cacheTtlSeconds: 300,
        negativeCacheTtlSeconds: 10,
        routes: exported.routes,
      },
      {},
    )
    dir = await mkdtemp(join(tmpdir(), 'forcegate-authorizer-'))
    const entries = readZip(zip)
    assert.deepEqual(entries.map((e) => e.name).sort(), ['contracts.json', 'index.mjs'])
    const bundled = Buffer.from(entries.find((e) => e.name === 'index.mjs')!.data).toString('utf8')
    const gatewayApp = org.seed.connectedApps.find((a) => a.introspectAll === true)!
    assert.equal(bundled.includes(gatewayApp.clientSecret), false, 'no secret inside the package')
    assert.equal(bundled.includes(org.issuer), false, 'no org setting inside the package')
    for (const entry of entries) await writeFile(join(dir, entry.name), entry.data)
    // The Lambda's environment: the org's settings, as the template sets them.
    process.env.FORCEGATE_ORG_ISSUER = org.issuer
    process.env.FORCEGATE_ORG_ID = org.orgId
    process.env.FORCEGATE_ORG_CLIENT_ID = gatewayApp.clientId
    process.env.FORCEGATE_ORG_CLIENT_SECRET = gatewayApp.clientSecret
    handler = ((await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: typeof handler })
      .handler
  })
  after(async () => {
    for (const name of env) delete process.env[name]
    await gw?.close()
    await org?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  test('allowed, missing token, foreign org, missing scope: the same answers, the same identity', async () => {
    const opaque = await passwordToken(org, 'Order Portal')
    const jwt = await passwordToken(org, 'Order Status JWT')
    const table: [string, string, string, string | undefined][] = [
      ['GET', '/orders', '/orders', opaque],
      ['GET', '/orders/{orderId}', '/orders/1001', opaque],
      ['GET', '/orders', '/orders', jwt],
      ['GET', '/orders', '/orders', undefined],
      ['GET', '/orders', '/orders', '00DZZ0000000001!AQ4AQFakeTokenValue'],
      ['GET', '/web-only', '/web-only', opaque],
      ['GET', '/web-only', '/web-only', jwt],
    ]
    const seen: number[] = []
    for (const [method, resource, path, token] of table) {
      const res = await fetch(
        `${gw.url}${path}`,
        token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
      )
      const event = requestEvent(method, resource, path, token)
      const result = await handler(event).catch((err: Error) => err)
      const status = decision(result, event.methodArn)
      assert.equal(
        status,
        res.status,
        `${method} ${path} ${token === undefined ? 'without a token' : token.slice(0, 8)}`,
      )
      seen.push(status)
      if (res.status === 200 && !(result instanceof Error)) {
        const gatewaySaw = (await res.json()) as Record<string, unknown>
        for (const [key, value] of Object.entries(result.context)) assert.equal(gatewaySaw[key], value, key)
        assert.equal(result.principalId, gatewaySaw.principalId)
      } else await res.arrayBuffer()
    }
    assert.deepEqual(seen, [200, 200, 200, 401, 401, 403, 403])
  })

  test('the policy covers the methods this token may call: a cached answer decides the next method right', async () => {
    const opaque = await passwordToken(org, 'Order Portal')
    const result = await handler(requestEvent('GET', '/orders', '/orders', opaque))
    assert.equal(decision(result, `${API_ARN}/prod/GET/orders/1002`), 200)
    assert.equal(decision(result, `${API_ARN}/prod/GET/web-only`), 403, 'the web scope is not granted')
  })

  test('contracts from the exported snapshot: active allows, none and suspended deny (403 as the gateway)', async () => {
    const opaque = await passwordToken(org, 'Order Portal')
    const clientId = org.seed.connectedApps.find((a) => a.name === 'Order Portal')!.clientId
    const routes = exportOpenApi(DOCUMENT, {
      portal: false,
      partnersAdmin: false,
      excludeUnexportable: false,
    }).routes
    const decide = async (snapshot: Record<string, unknown>, tag: string) => {
      const zip = await packageAuthorizer(
        {
          scheme: 'salesforce',
          accept: ['jwt', 'opaque', 'session'],
          scopeMatch: 'all',
          contractApi: 'order-status',
          cacheTtlSeconds: 300,
          negativeCacheTtlSeconds: 10,
          routes,
        },
        snapshot as never,
      )
      const into = await mkdtemp(join(dir, `${tag}-`))
      for (const entry of readZip(zip)) await writeFile(join(into, entry.name), entry.data)
      const contracted = (
        (await import(pathToFileURL(join(into, 'index.mjs')).href)) as { handler: typeof handler }
      ).handler
      const event = requestEvent('GET', '/orders', '/orders', opaque)
      return decision(await contracted(event), event.methodArn)
    }
    assert.equal(
      await decide({ [clientId]: { 'order-status': { status: 'active', scopes: ['api'] } } }, 'active'),
      200,
    )
    assert.equal(await decide({}, 'none'), 403)
    assert.equal(
      await decide({ [clientId]: { 'other-api': { status: 'active', scopes: ['api'] } } }, 'other'),
      403,
    )
    assert.equal(
      await decide({ [clientId]: { 'order-status': { status: 'suspended', scopes: ['api'] } } }, 'suspended'),
      403,
    )
    assert.equal(
      await decide({ [clientId]: { 'order-status': { status: 'active', scopes: ['web'] } } }, 'scopes'),
      403,
    )
  })
})
