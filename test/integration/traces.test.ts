import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { type Gateway, startGateway } from '../../src/gateway.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { type EchoUpstream, startEchoUpstream } from '../helpers/echo-upstream.ts'
import { lambdaOp, lambdaUri, type TempApi, tempApi } from '../helpers/temp-api.ts'
import { openapi } from '../helpers/test-gateway.ts'

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const CALLER_SPAN = '00f067aa0ba902b7'
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/

const AUTHORIZER = `export const handler = async (event) => ({
  principalId: 'user-alice',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
  },
})\n`

/**
 * A handler that answers with the traceparent of the span active while it runs, and the one its
 * Lambda context carries (what a handler without OpenTelemetry, or a remote function, reads).
 */
const TRACED_HANDLER = (apiUrl: string) => `import { context, trace } from '${apiUrl}'
export const handler = async (_event, lambdaContext) => {
  const span = trace.getSpan(context.active())?.spanContext()
  const traceparent = span === undefined ? null : '00-' + span.traceId + '-' + span.spanId + '-0' + span.traceFlags
  const fromContext = lambdaContext.clientContext?.custom?.traceparent ?? null
  return { statusCode: 200, body: JSON.stringify({ traceparent, fromContext }) }
}\n`

describe('OpenTelemetry spans per request and stage, with traceparent propagated', () => {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const contexts = new AsyncLocalStorageContextManager()
  let upstream: EchoUpstream
  let api: TempApi
  let gw: Gateway
  before(async () => {
    context.setGlobalContextManager(contexts.enable())
    upstream = await startEchoUpstream()
    api = await tempApi(
      openapi(
        {
          '/up/{proxy+}': {
            'x-amazon-apigateway-any-method': {
              'x-amazon-apigateway-integration': {
                type: 'http_proxy',
                httpMethod: 'ANY',
                uri: `${upstream.url}/{proxy}`,
              },
            },
          },
          '/fn': { get: { ...lambdaOp('traced'), security: [{ bearer: [] }] } },
        },
        {
          components: {
            securitySchemes: {
              bearer: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authorizer': {
                  type: 'token',
                  authorizerUri: lambdaUri('policy'),
                  authorizerResultTtlInSeconds: 300,
                },
              },
            },
          },
        },
      ),
      { 'policy.mjs': AUTHORIZER, 'traced.mjs': TRACED_HANDLER(import.meta.resolve('@opentelemetry/api')) },
    )
    gw = await startGateway({
      apiFile: api.apiFile,
      port: 0,
      logger: createLogger('silent'),
      tracing: { tracer: provider.getTracer('forcegate') },
    })
  })
  after(async () => {
    await gw.close()
    await upstream.close()
    await api.remove()
    context.disable()
    await provider.shutdown()
  })

  /** The server span of a request ends with its response, which may follow the client's read. */
  async function serverSpan(name: string): Promise<ReadableSpan> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const span = exporter.getFinishedSpans().find((s) => s.name === name && s.kind === 1)
      if (span !== undefined) return span
      await new Promise((resolve) => setImmediate(resolve))
    }
    assert.fail(`no finished server span named ${name}`)
  }

  test('an http_proxy upstream gets the gateway span as parent, in the caller’s trace', async () => {
    exporter.reset()
    const res = await fetch(`${gw.url}/up/items`, {
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    })
    assert.equal(res.status, 200)
    await res.arrayBuffer()
    const span = await serverSpan('ANY /up/{proxy+}')
    assert.equal(span.spanContext().traceId, CALLER_TRACE)
    assert.equal(span.parentSpanContext?.spanId, CALLER_SPAN)
    assert.equal(span.attributes['http.response.status_code'], 200)
    assert.equal(span.attributes['http.route'], '/up/{proxy+}')
    // The integration is the request span's child, and the upstream's parent.
    const integration = childNamed(span, 'integration http_proxy')
    assert.equal(integration.attributes['forcegate.integration.type'], 'http_proxy')
    const sent = upstream.seen.at(-1)?.headers.traceparent
    assert.equal(sent, `00-${CALLER_TRACE}-${integration.spanContext().spanId}-01`)
  })

  /** The one finished span named `name` whose parent is `parent`. */
  function childNamed(parent: ReadableSpan, name: string): ReadableSpan {
    const found = exporter
      .getFinishedSpans()
      .filter((s) => s.name === name && s.parentSpanContext?.spanId === parent.spanContext().spanId)
    assert.equal(found.length, 1, `one span ${name} under ${parent.name}`)
    assert.equal(found[0]!.spanContext().traceId, parent.spanContext().traceId)
    return found[0]!
  }

  test('without a traceparent a request starts a new trace; the upstream sees it', async () => {
    exporter.reset()
    const res = await fetch(`${gw.url}/up/fresh`)
    await res.arrayBuffer()
    const span = await serverSpan('ANY /up/{proxy+}')
    assert.equal(span.parentSpanContext, undefined)
    const sent = String(upstream.seen.at(-1)?.headers.traceparent)
    assert.match(sent, TRACEPARENT)
    assert.equal(TRACEPARENT.exec(sent)?.[1], span.spanContext().traceId)
    assert.notEqual(span.spanContext().traceId, CALLER_TRACE)
  })

  test('a malformed traceparent is not continued', async () => {
    exporter.reset()
    const res = await fetch(`${gw.url}/up/bad`, {
      headers: { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01` },
    })
    await res.arrayBuffer()
    const span = await serverSpan('ANY /up/{proxy+}')
    assert.equal(span.parentSpanContext, undefined)
    assert.notEqual(span.spanContext().traceId, '0'.repeat(32))
  })

  test('a Lambda handler runs under the integration span, its Lambda context carrying it; the authorizer invocation is a span', async () => {
    exporter.reset()
    const first = await fetch(`${gw.url}/fn`, {
      headers: { authorization: 'Bearer alice', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    })
    assert.equal(first.status, 200)
    const seen = (await first.json()) as { traceparent: string; fromContext: string }
    const span = await serverSpan('GET /fn')
    const integration = childNamed(span, 'integration aws_proxy')
    // The handler runs under the integration span, and its Lambda context carries it too.
    const expected = `00-${CALLER_TRACE}-${integration.spanContext().spanId}-01`
    assert.equal(seen.traceparent, expected)
    assert.equal(seen.fromContext, expected)
    // The authorizer's invocation is a span of its own, under the request's.
    childNamed(span, 'invoke policy')
    const authorizer = exporter.getFinishedSpans().filter((s) => s.name.startsWith('authorizer '))
    assert.equal(authorizer.length, 1)
    assert.equal(authorizer[0]!.parentSpanContext?.spanId, span.spanContext().spanId)
    assert.equal(authorizer[0]!.attributes['forcegate.authorizer.cache'], 'miss')
    assert.equal(authorizer[0]!.attributes['forcegate.authorizer.invoked'], true)
    assert.equal(authorizer[0]!.attributes['forcegate.authorizer.outcome'], 'allow')
    // The second decision comes from the cache: a span that says so, with no invocation.
    exporter.reset()
    const second = await fetch(`${gw.url}/fn`, { headers: { authorization: 'Bearer alice' } })
    await second.arrayBuffer()
    await serverSpan('GET /fn')
    const cached = exporter.getFinishedSpans().find((s) => s.name.startsWith('authorizer '))
    assert.equal(cached?.attributes['forcegate.authorizer.cache'], 'hit')
    assert.equal(cached?.attributes['forcegate.authorizer.invoked'], false)
    assert.equal(
      exporter.getFinishedSpans().some((s) => s.name.startsWith('invoke ')),
      false,
      'a cached decision invokes nothing',
    )
  })

  test('an unknown route is one span with the answer’s status', async () => {
    exporter.reset()
    const res = await fetch(`${gw.url}/nowhere`)
    assert.equal(res.status, 403)
    await res.arrayBuffer()
    const span = await serverSpan('GET')
    assert.equal(span.attributes['http.response.status_code'], 403)
    assert.equal(span.attributes['url.path'], '/nowhere')
  })
})

describe('tracing off', () => {
  test('adds no traceparent and passes the caller’s on untouched', async () => {
    const upstream = await startEchoUpstream()
    const api = await tempApi(
      openapi({
        '/up/{proxy+}': {
          'x-amazon-apigateway-any-method': {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'ANY',
              uri: `${upstream.url}/{proxy}`,
            },
          },
        },
      }),
    )
    const gw = await startGateway({ apiFile: api.apiFile, port: 0, logger: createLogger('silent') })
    try {
      await (await fetch(`${gw.url}/up/a`)).arrayBuffer()
      assert.equal(upstream.seen.at(-1)?.headers.traceparent, undefined)
      const caller = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`
      await (await fetch(`${gw.url}/up/b`, { headers: { traceparent: caller } })).arrayBuffer()
      assert.equal(upstream.seen.at(-1)?.headers.traceparent, caller)
    } finally {
      await gw.close()
      await upstream.close()
      await api.remove()
    }
  })
})
