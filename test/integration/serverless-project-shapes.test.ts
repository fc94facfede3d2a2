import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ConfigErrors } from '../../src/errors/config-error.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'

const FIXTURES = 'test/fixtures/serverless'

async function serve(folder: string, warnings: string[] = []): Promise<Gateway> {
  const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) })
  return startGateway({
    apiFile: `${FIXTURES}/${folder}/serverless.yml`,
    apiFormat: 'serverless',
    port: 0,
    logger,
  })
}

const json = async (res: Response): Promise<Record<string, unknown>> =>
  JSON.parse(await res.text()) as Record<string, unknown>

describe('a service in the shapes real projects use is served unmodified', () => {
  let gateway: Gateway
  const warnings: string[] = []
  before(async () => {
    // What ${ssm:…} would give on AWS, supplied the way the project runs unmodified.
    process.env.CATALOG_SEARCH_KEY = 'search-key-from-env'
    gateway = await serve('project-shapes', warnings)
  })
  after(() => gateway.close())

  test('variables where serving never looks (an IAM statement, a resource) do not stop it; what is not honoured is named', () => {
    const text = warnings.join('')
    assert.match(text, /\/plugins\/0: plugin serverless-plugin-typescript is not run/)
    assert.match(text, /\/custom\/serverless-offline\/noAuth: serverless-offline's noAuth is not read/)
    assert.match(text, /\/custom\/serverless-offline\/httpPort: serverless-offline's httpPort is not read/)
    assert.match(
      text,
      /\/functions\/reindex\/runtime: expected a Node\.js runtime .* for reindex, found 'python3\.12'.*served without it/,
    )
    assert.match(text, /\/functions\/voice\/events\/0: 'alexaSkill' events are not triggered/)
    assert.match(
      text,
      /\/functions\/thumbnails\/image: container image functions are not run.*served without it/,
    )
    assert.match(
      text,
      /\/provider\/environment\/CATALOG_BUCKET: CATALOG_BUCKET is left unset: Ref names a deployed CloudFormation resource/,
    )
    assert.match(
      text,
      /\/resources\/Resources\/AssetsBucket: custom CloudFormation resources are not created/,
    )
    assert.match(text, /\/functions\/listProducts\/layers: layers are not mounted locally/)
    assert.doesNotMatch(text, /ssm:|cf:catalog/)
  })

  test("self:provider.stage without a stage, aws:region, aws:accountId, numbers and booleans, file(…) by stage and by key, a bare variable as fallback, param: by stage then default, an unresolvable ssm: variable from forcegate's environment", async () => {
    const res = await fetch(`${gateway.url}/products`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), {
      handler: 'list',
      resource: '/products',
      stage: 'dev',
      region: 'eu-central-1',
      account: '000000000000',
      pageSize: '25',
      strict: 'true',
      label: 'catalog (development)',
      owner: 'storefront',
      table: 'catalog-dev',
      pricing: 'USD-web',
      searchKey: 'search-key-from-env',
      bucket: null,
    })
  })

  test('handler src/catalog.routes.get is the export routes.get of src/catalog, as Lambda reads it', async () => {
    const res = await fetch(`${gateway.url}/products/7?pass=yes`)
    assert.equal(res.status, 200)
    assert.deepEqual(await json(res), { handler: 'get', id: '7', principalId: 'visitor' })
  })

  test('an uncached REQUEST authorizer without identitySource runs on every request: no header is its decision, not a 401', async () => {
    const res = await fetch(`${gateway.url}/products/7`)
    assert.equal(res.status, 403)
    assert.deepEqual(await json(res), {
      Message: 'User is not authorized to access this resource with an explicit deny',
    })
  })

  test("identitySource $request.header.X-Token on a REST authorizer (serverless-offline's form) is read as method.request.header.X-Token, and named", async () => {
    assert.match(
      warnings.join(''),
      /\/functions\/searchProducts\/events\/0\/http\/authorizer\/identitySource: '\$request\.header\.X-Token' is the HTTP API syntax: read as 'method\.request\.header\.X-Token'/,
    )
    const none = await fetch(`${gateway.url}/search`, { headers: { authorization: 'open-sesame' } })
    assert.equal(none.status, 401)
    const res = await fetch(`${gateway.url}/search`, { headers: { 'x-token': 'open-sesame' } })
    assert.equal(res.status, 200)
    assert.equal((await json(res)).resource, '/search')
  })
})

describe("an HTTP API with method '*' routes", () => {
  let gateway: Gateway
  const warnings: string[] = []
  before(async () => {
    gateway = await serve('http-api-any', warnings)
  })
  after(() => gateway.close())

  test("a function's own httpApi.payload (a serverless-offline setting) is named; the route keeps the provider's 2.0", async () => {
    assert.match(
      warnings.join(''),
      /\/functions\/things\/httpApi: a function's own httpApi settings are serverless-offline's, not the framework's/,
    )
    const res = await fetch(`${gateway.url}/things`)
    assert.equal((await json(res)).routeKey, 'ANY /things', 'a 2.0 event (1.0 has no routeKey)')
  })

  test("method '*' with a path is ANY on it; with path '*' it is the $default route (functions given as a list of maps)", async () => {
    const things = await fetch(`${gateway.url}/things`, { method: 'DELETE' })
    assert.deepEqual(await json(things), { routeKey: 'ANY /things', method: 'DELETE' })
    const other = await fetch(`${gateway.url}/elsewhere/deep`, { method: 'PATCH' })
    assert.deepEqual(await json(other), { routeKey: '$default', method: 'PATCH' })
  })
})

test('an HTTP event on a Python function or a container image, a file(…) that is not there: start-up names each with its line and pointer', async () => {
  await assert.rejects(serve('foreign'), (err: unknown) => {
    const text = err instanceof ConfigErrors ? err.message : String(err)
    assert.match(
      text,
      /serverless\.yml:\d+: \/provider\/runtime: expected a Node\.js runtime \(nodejs20\.x, nodejs22\.x…\) for balance, found 'python3\.12'/,
    )
    assert.match(
      text,
      /serverless\.yml:\d+: \/provider\/environment\/LEDGER_SECRET: \$\{file\(\.\/secrets\/dev\.json\)\} cannot be read: .*secrets\/dev\.json not found/,
    )
    assert.match(
      text,
      /serverless\.yml:\d+: \/functions\/render\/image: container image functions are not run/,
    )
    return true
  })
})

describe('private: true routes take a key of provider.apiGateway.apiKeys', () => {
  let gateway: Gateway
  const warnings: string[] = []
  before(async () => {
    gateway = await serve('api-keys', warnings)
  })
  after(() => gateway.close())

  test("without x-api-key, or with a wrong one, API Gateway's 403 Forbidden; a configured key passes", async () => {
    const none = await fetch(`${gateway.url}/reports`)
    assert.equal(none.status, 403)
    assert.deepEqual(await json(none), { message: 'Forbidden' })
    const wrong = await fetch(`${gateway.url}/reports`, { headers: { 'x-api-key': 'guess' } })
    assert.equal(wrong.status, 403)
    assert.deepEqual(await json(wrong), { message: 'Forbidden' })
    const good = await fetch(`${gateway.url}/reports`, {
      headers: { 'x-api-key': 'partner-key-0123456789abcdef' },
    })
    assert.equal(good.status, 200)
    const open = await fetch(`${gateway.url}/reports/summary`)
    assert.equal(open.status, 200, 'a route without private: true takes no key')
  })

  test('a usage plan key without a value gets one for the run, named at start-up, and it is accepted', async () => {
    const line = /API key trial has no value: this run accepts x-api-key: (\S+) /.exec(warnings.join(''))
    assert.ok(line, warnings.join(''))
    assert.match(warnings.join(''), /\/provider\/apiGateway\/apiKeys\/1\/free\/0: API key trial/)
    const res = await fetch(`${gateway.url}/reports`, { headers: { 'x-api-key': line[1]! } })
    assert.equal(res.status, 200)
  })

  test("the key is checked after the route's authorizer: neither is its 401, a token without a key 403", async () => {
    const neither = await fetch(`${gateway.url}/reports/audit`)
    assert.equal(neither.status, 401)
    const tokenOnly = await fetch(`${gateway.url}/reports/audit`, { headers: { authorization: 'auditor' } })
    assert.equal(tokenOnly.status, 403)
    assert.deepEqual(await json(tokenOnly), { message: 'Forbidden' })
    const both = await fetch(`${gateway.url}/reports/audit`, {
      headers: { authorization: 'auditor', 'x-api-key': 'partner-key-0123456789abcdef' },
    })
    assert.equal(both.status, 200)
  })
})

describe('integration: lambda maps the request into the framework event and the result back', () => {
  let gateway: Gateway
  before(async () => {
    gateway = await serve('lambda-integration')
  })
  after(() => gateway.close())

  test('the event carries path, query, headers, method, stage and the resource path; the result is the JSON body', async () => {
    const res = await fetch(`${gateway.url}/quotes/7?currency=EUR`, { headers: { 'x-client': 'desk-7' } })
    assert.equal(res.status, 200)
    assert.equal(
      res.headers.get('access-control-allow-origin'),
      '*',
      'cors: true adds the origin to the responses',
    )
    assert.deepEqual(await json(res), {
      id: '7',
      method: 'GET',
      stage: 'beta',
      currency: 'EUR',
      client: 'desk-7',
      requestPath: '/quotes/{id}',
      body: {},
    })
  })

  test('an error message with [404] selects the 404 response; the error passes through', async () => {
    const res = await fetch(`${gateway.url}/quotes/missing`)
    assert.equal(res.status, 404)
    assert.equal((await json(res)).errorMessage, '[404] No quote for missing')
  })

  test('request.template, response.template and response.headers replace the defaults', async () => {
    const res = await fetch(`${gateway.url}/quotes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"symbol":"ACME"}',
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('x-quote-source'), 'desk')
    assert.equal(await res.text(), '42')
  })

  test('passThrough defaults to NEVER: a media type without a template is 415', async () => {
    const res = await fetch(`${gateway.url}/quotes`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'ACME',
    })
    assert.equal(res.status, 415)
    assert.deepEqual(await json(res), { message: 'Unsupported Media Type' })
  })
})

describe('a service with both http and httpApi events', () => {
  after(() => {
    delete process.env.FORCEGATE_SERVERLESS_API
  })

  test('deploys two APIs: start-up says how to pick the one to serve', async () => {
    await assert.rejects(serve('both-apis'), (err: unknown) => {
      const text = err instanceof Error ? err.message : String(err)
      assert.match(
        text,
        /\/functions: expected either http .* serve one per run with FORCEGATE_SERVERLESS_API=http or =httpApi/,
      )
      return true
    })
  })

  test('FORCEGATE_SERVERLESS_API=httpApi serves the HTTP API (and its authorizer), naming what is left out', async () => {
    process.env.FORCEGATE_SERVERLESS_API = 'httpApi'
    const warnings: string[] = []
    const gateway = await serve('both-apis', warnings)
    try {
      assert.match(
        warnings.join(''),
        /serving the httpApi events \(FORCEGATE_SERVERLESS_API\); the http events' API is not served/,
      )
      const modern = await fetch(`${gateway.url}/modern`)
      assert.deepEqual(await json(modern), { version: '2.0', path: '/modern' })
      const guarded = await fetch(`${gateway.url}/modern`, { method: 'POST' })
      assert.equal(guarded.status, 401)
      const legacy = await fetch(`${gateway.url}/legacy`)
      assert.equal(legacy.status, 404, "an HTTP API's Not Found")
    } finally {
      await gateway.close()
    }
  })
})
