import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'
import { devorgWriteYaml } from './salesforce-target-support.ts'

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
 * The Salesforce write integration's calls to the org, each attempt counted by kind and outcome
 * (a REQUEST_LIMIT_EXCEEDED or a 503 tried again is `retried`), and each attempt a span under
 * the integration's.
 */
describe('metrics and spans of the Salesforce write integration', () => {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const contexts = new AsyncLocalStorageContextManager()
  let org: DevOrg
  let api: TempApi
  let gw: Gateway
  before(async () => {
    context.setGlobalContextManager(contexts.enable())
    org = await startDevOrg({ port: 0 })
    process.env.MSW_METRICS = METRICS_TOKEN
    api = await tempApi(
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
    )
    const config = [...devorgWriteYaml(org, 'MSW_SF_SECRET'), 'metrics:', '  token: { env: MSW_METRICS }', '']
    gw = await startGateway({
      apiFile: api.apiFile,
      configFile: await api.file('forcegate.yaml', config.join('\n')),
      port: 0,
      logger: createLogger('silent'),
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

  const upsert = async (customerId: string) => {
    const res = await fetch(`${gw.url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Customer_Id__c: customerId, LastName: 'Metered' }),
    })
    await res.arrayBuffer()
    return res.status
  }

  async function serverSpan(): Promise<ReadableSpan> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const span = exporter.getFinishedSpans().find((s) => s.name === 'POST /customers' && s.kind === 1)
      if (span !== undefined) return span
      await new Promise((resolve) => setImmediate(resolve))
    }
    assert.fail('no finished server span')
  }

  test('a request limit and an unavailable org, each cleared after one retry', async () => {
    exporter.reset()
    org.faults.requestLimitExceededNext = 1
    assert.equal(await upsert('METER-1'), 201)
    const span = await serverSpan()
    const integration = exporter.getFinishedSpans().filter((s) => s.name === 'integration salesforce')
    assert.equal(integration.length, 1)
    assert.equal(integration[0]!.parentSpanContext?.spanId, span.spanContext().spanId)
    const attempts = exporter.getFinishedSpans().filter((s) => s.name === 'org call sobjects_patch')
    assert.equal(attempts.length, 2, 'the refused attempt and the retry')
    for (const a of attempts) assert.equal(a.parentSpanContext?.spanId, integration[0]!.spanContext().spanId)

    org.faults.unavailableNext = 1
    assert.equal(await upsert('METER-2'), 201)
    const scrape = await fetch(`${gw.url}/_forcegate/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    })
    const calls = samples(await scrape.text(), 'forcegate_org_calls_total')
    assert.deepEqual(Object.fromEntries(calls), {
      '{kind="sobjects_patch",outcome="retried"}': 2,
      '{kind="sobjects_patch",outcome="ok"}': 2,
    })
  })
})
