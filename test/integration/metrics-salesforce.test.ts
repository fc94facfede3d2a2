import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import * as oidc from 'openid-client'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { authorizeInteractively, Browser } from '../devorg/oauth/browser.ts'
import { devorgSalesforceYaml, WHOAMI_HANDLER } from '../helpers/devorg-gateway-config.ts'
import { lambdaOp, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { testClock } from '../helpers/test-clock.ts'
import { openapi } from '../helpers/test-gateway.ts'

const USER = { username: 'admin@partner.example.com', password: 'Partner-Admin-1' }
const REDIRECT = 'http://127.0.0.1:8767/callback'
const ADMIN_TOKEN = randomBytes(24).toString('base64url')
const METRICS_TOKEN = randomBytes(24).toString('base64url')

/** Samples of one metric as `{labels} value`, parsed. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const close = line.lastIndexOf('}')
    out.set(line.slice(name.length, close + 1), Number(line.slice(close + 2)))
  }
  return out
}

/**
 * A Salesforce-guarded route under a partner's usage plan, metrics on from forcegate.yaml: the
 * identity cache's miss and hits, the calls made to the org, and the plan's refusal are counted
 * as the requests that caused them were answered.
 */
describe('metrics of Salesforce routes, partners and usage plans', () => {
  const clock = testClock()
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const contexts = new AsyncLocalStorageContextManager()
  let org: DevOrg
  let api: TempApi
  let gw: Gateway
  before(async () => {
    context.setGlobalContextManager(contexts.enable())
    org = await startDevOrg({ port: 0, clock: clock.now })
    Object.assign(process.env, {
      MS_IAT: org.seed.initialAccessToken,
      MS_KEY: randomBytes(32).toString('base64'),
      MS_ADMIN: ADMIN_TOKEN,
      MS_METRICS: METRICS_TOKEN,
    })
    api = await tempApi(
      openapi(
        { '/orders/{id}': { get: { ...lambdaOp('whoami'), security: [{ orders: ['api'] }] } } },
        {
          components: {
            securitySchemes: {
              orders: {
                type: 'oauth2',
                flows: {
                  authorizationCode: {
                    authorizationUrl: 'http://127.0.0.1/a',
                    tokenUrl: 'http://127.0.0.1/t',
                    scopes: { api: 'API' },
                  },
                },
                'x-forcegate-salesforce': {
                  org: 'devorg',
                  contract: 'required',
                  api: 'order-status',
                  cacheTtlSeconds: 300,
                },
              },
            },
          },
        },
      ),
      { 'whoami.mjs': WHOAMI_HANDLER },
    )
    const config = [
      ...devorgSalesforceYaml(org, 'MS_SF_SECRET'),
      'partners:',
      '  org:',
      `    url: ${org.url}`,
      '    initialAccessToken: { env: MS_IAT }',
      '  store: { path: ":memory:" }',
      '  encryption: { key: { env: MS_KEY } }',
      '  usagePlans:',
      '    - name: tiny',
      '      quota: { limit: 2, period: DAY }',
      '  admin: { token: { env: MS_ADMIN } }',
      'metrics:',
      '  token: { env: MS_METRICS }',
      '',
    ].join('\n')
    gw = await startGateway({
      apiFile: api.apiFile,
      configFile: await api.file('forcegate.yaml', config),
      port: 0,
      logger: createLogger('silent'),
      clock: clock.now,
      tracing: { tracer: provider.getTracer('forcegate') },
    })
  })
  after(async () => {
    await gw?.close()
    await api?.remove()
    await org?.close()
    context.disable()
    await provider.shutdown()
  })

  async function partnerToken(): Promise<string> {
    const res = await fetch(`${gw.url}/_forcegate/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Metered Co',
        redirectUris: [REDIRECT],
        contracts: [{ api: 'order-status', scopes: ['api'], usagePlan: 'tiny' }],
      }),
    })
    assert.equal(res.status, 201, await res.clone().text())
    const { clientId, clientSecret } = (
      (await res.json()) as { credentials: { clientId: string; clientSecret: string } }
    ).credentials
    const config = await oidc.discovery(new URL(org.issuer), clientId, clientSecret, undefined, {
      execute: [oidc.allowInsecureRequests],
    })
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'api',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    const callback = await authorizeInteractively(new Browser(), url.href, USER)
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    return tokens.access_token
  }

  test('identity cache miss then hits, the org asked once (a span under its request), the plan’s 429 counted by plan and limit', async () => {
    const token = await partnerToken()
    exporter.reset()
    const call = async () => {
      const res = await fetch(`${gw.url}/orders/1`, { headers: { authorization: `Bearer ${token}` } })
      await res.arrayBuffer()
      return res.status
    }
    assert.deepEqual([await call(), await call(), await call()], [200, 200, 429])
    let text = ''
    for (let attempt = 0; attempt < 50 && !text.includes('status="429"'); attempt++) {
      const scrape = await fetch(`${gw.url}/_forcegate/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
      assert.equal(scrape.status, 200)
      text = await scrape.text()
    }
    const requests = samples(text, 'forcegate_requests_total')
    assert.equal(requests.get('{route="GET /orders/{id}",method="GET",status="200"}'), 2)
    assert.equal(requests.get('{route="GET /orders/{id}",method="GET",status="429"}'), 1)
    const cache = samples(text, 'forcegate_identity_cache_total')
    assert.equal(cache.get('{result="miss"}'), 1)
    assert.equal(cache.get('{result="hit"}'), 2)
    const orgCalls = [...samples(text, 'forcegate_org_calls_total').entries()]
    assert.equal(orgCalls.length, 1, JSON.stringify(orgCalls))
    assert.match(orgCalls[0]![0], /^\{kind="(introspection|userinfo)",outcome="ok"\}$/)
    assert.equal(orgCalls[0]![1], 1)
    const refusals = samples(text, 'forcegate_usage_plan_refusals_total')
    assert.deepEqual([...refusals.entries()], [['{plan="tiny",limit="quota"}', 1]])
    // Only the requests that reached the integration are in its histogram.
    const integration = samples(text, 'forcegate_integration_duration_seconds_count')
    assert.equal(integration.get('{route="GET /orders/{id}",integration="aws_proxy"}'), 2)
    // The org call is a span under its request's.
    const kind = /kind="(\w+)"/.exec(orgCalls[0]![0])![1]
    const spans = exporter.getFinishedSpans()
    const orgSpans = spans.filter((s) => s.name === `org call ${kind}`)
    assert.equal(orgSpans.length, 1)
    const parent = spans.find((s) => s.spanContext().spanId === orgSpans[0]!.parentSpanContext?.spanId)
    assert.equal(parent?.name, 'GET /orders/{id}')
    assert.equal(orgSpans[0]!.spanContext().traceId, parent?.spanContext().traceId)
  })
})
