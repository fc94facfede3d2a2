import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadSourceDocument } from '../../../src/config/source-document.ts'
import { ExportRefused, exportOpenApi } from '../../../src/export/export-openapi.ts'
import { importerProblems } from '../../../src/export/importer-rules.ts'

const ORDER_STATUS = new URL('../../../examples/order-status/openapi.yaml', import.meta.url).pathname
const FACTS = { portal: false, partnersAdmin: false, excludeUnexportable: false }
const OPS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

function api(extra: {
  schemes?: Record<string, unknown>
  paths?: Record<string, unknown>
  security?: unknown
}) {
  return {
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    ...(extra.security === undefined ? {} : { security: extra.security }),
    components: {
      securitySchemes: {
        sf: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://o.example/token', scopes: { api: 'api' } } },
          'x-forcegate-salesforce': { org: 'devorg', cacheTtlSeconds: 0 },
        },
        ...extra.schemes,
      },
    },
    paths: {
      '/ok': { get: { security: [{ sf: ['api'] }], 'x-amazon-apigateway-integration': { type: 'mock' } } },
      ...extra.paths,
    },
  }
}

const refusal = (fn: () => unknown): ExportRefused => {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof ExportRefused, String(err))
    return err
  }
  assert.fail('the export was not refused')
}

test('the order-status example: a REQUEST Lambda authorizer per Salesforce scheme, security on every operation', async () => {
  const source = await loadSourceDocument(ORDER_STATUS)
  const out = exportOpenApi(source.data, FACTS)
  const doc = out.document as any
  assert.equal(doc.openapi, '3.0.1')
  assert.equal(doc.security, undefined, 'the top-level security is moved onto the operations')
  const sf = doc.components.securitySchemes.salesforce
  assert.equal(sf.type, 'apiKey')
  assert.equal(sf['x-amazon-apigateway-authtype'], 'custom')
  assert.deepEqual(sf['x-amazon-apigateway-authorizer'], {
    type: 'request',
    identitySource: 'method.request.header.Authorization',
    authorizerUri:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's import variables, written as AWS spells them
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:forcegate-authorizer-salesforce/invocations',
    authorizerResultTtlInSeconds: 300,
  })
  for (const [path, item] of Object.entries(doc.paths as Record<string, any>))
    for (const m of OPS) if (item[m] !== undefined) assert.ok(Array.isArray(item[m].security), `${m} ${path}`)
  assert.deepEqual(doc.paths['/orders'].get.security, [{ salesforce: [] }])
  assert.deepEqual(doc.paths['/orders/events'].post.security, [{ salesforceIntegration: [] }])
  assert.deepEqual(doc.paths['/health'].get.security, [])
  assert.match(
    doc.paths['/orders'].get['x-amazon-apigateway-integration'].uri,
    /\$\{AWS::AccountId\}:function:order-status\/invocations$/,
  )
  assert.deepEqual(out.functions, ['order-events', 'order-status'])
  assert.deepEqual(
    out.routes.find((r) => r.resourcePath === '/orders'),
    { method: 'GET', resourcePath: '/orders', scheme: 'salesforce', scopes: ['api'] },
    'the scopes move to the authorizer, which API Gateway gives the method only',
  )
  assert.deepEqual(out.authorizers.map((a) => a.scheme).sort(), ['salesforce', 'salesforceIntegration'])
  assert.doesNotMatch(JSON.stringify(doc), /x-forcegate|123456789012|us-east-1/)
  assert.deepEqual(importerProblems(doc), [])
  assert.equal(
    JSON.stringify((source.data as any).components.securitySchemes.salesforce.type),
    '"oauth2"',
    'input untouched',
  )
})

test("the authorizer's TTL is the scheme's cacheTtlSeconds", () => {
  const doc = exportOpenApi(api({}), FACTS).document as any
  assert.equal(
    doc.components.securitySchemes.sf['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds,
    0,
  )
})

test('a route needing a browser session is refused by name, or listed as excluded when asked', () => {
  const source = api({
    schemes: {
      browser: { type: 'apiKey', in: 'cookie', name: 'sid', 'x-forcegate-session': { org: 'devorg' } },
    },
    paths: {
      '/me': { get: { security: [{ browser: [] }], 'x-amazon-apigateway-integration': { type: 'mock' } } },
    },
  })
  const err = refusal(() => exportOpenApi(source, FACTS))
  assert.deepEqual(
    err.items.map((i) => [i.what, i.pointer]),
    [['GET /me', '/paths/~1me/get']],
  )
  assert.match(err.message, /browser session/)
  const out = exportOpenApi(source, { ...FACTS, excludeUnexportable: true })
  assert.deepEqual(
    out.excluded.map((i) => i.what),
    ['GET /me'],
  )
  assert.equal((out.document as any).paths['/me'], undefined)
  assert.equal((out.document as any).components.securitySchemes.browser, undefined)
})

test('the portal, the admin API and a Salesforce integration are refused by name', () => {
  const source = api({
    paths: {
      '/customers': {
        post: {
          security: [{ sf: [] }],
          'x-forcegate-salesforce-integration': { org: 'devorg', upsert: 'Contact' },
        },
      },
    },
  })
  const err = refusal(() => exportOpenApi(source, { ...FACTS, portal: true, partnersAdmin: true }))
  assert.deepEqual(
    err.items.map((i) => i.what),
    ['the developer portal (/portal)', 'the partners admin API (/_forcegate/partners)', 'POST /customers'],
  )
})

test('top-level security reaches operations without their own; alternatives on one method are refused', () => {
  const ok = exportOpenApi(
    api({
      security: [{ sf: ['api'] }],
      paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
    }),
    FACTS,
  )
  assert.deepEqual((ok.document as any).paths['/x'].get.security, [{ sf: [] }])
  const err = refusal(() =>
    exportOpenApi(
      api({
        schemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
        paths: { '/y': { get: { security: [{ sf: [] }, { key: [] }] } } },
      }),
      FACTS,
    ),
  )
  assert.match(err.message, /GET \/y.*one authorizer/)
})

test('an oauth2 scheme without the Salesforce extension cannot be imported: its routes are refused', () => {
  const err = refusal(() =>
    exportOpenApi(
      api({
        schemes: { o: { type: 'oauth2', flows: {} } },
        paths: { '/o': { get: { security: [{ o: [] }] } } },
      }),
      FACTS,
    ),
  )
  assert.match(err.message, /GET \/o.*apiKey schemes only/)
})

test('annotations the importer refuses are removed and listed; validating keywords are refused', () => {
  const source = api({
    paths: {
      '/n': {
        post: {
          security: [],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { n: { type: 'integer', format: 'int64', example: 3, default: 1 } },
                },
              },
            },
          },
        },
      },
    },
  })
  const out = exportOpenApi(source, FACTS)
  const n = (out.document as any).paths['/n'].post.requestBody.content['application/json'].schema.properties.n
  assert.deepEqual(n, { type: 'integer' })
  assert.equal(out.adjusted.filter((a) => a.includes('/properties/n/')).length, 3)
  ;(source.paths as any)['/n'].post.requestBody.content[
    'application/json'
  ].schema.properties.n.exclusiveMinimum = true
  const err = refusal(() => exportOpenApi(source, { ...FACTS, excludeUnexportable: true }))
  assert.match(err.message, /exclusiveMinimum/)
})

test('an HTTP API document is refused', () => {
  const err = refusal(() =>
    exportOpenApi({ ...api({}), 'x-amazon-apigateway-importexport-version': '1.0' }, FACTS),
  )
  assert.match(err.message, /HTTP API/)
})

test('a scheme with who-may-call rules (require) is refused: the exported authorizer does not enforce them', () => {
  const source = api({})
  ;(source.components.securitySchemes.sf as any)['x-forcegate-salesforce'].require = {
    userType: ['STANDARD'],
  }
  const err = refusal(() => exportOpenApi(source, FACTS))
  assert.match(err.message, /GET \/ok.*require/)
})
