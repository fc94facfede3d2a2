import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { context, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { createLambdaContext } from '../../../src/aws/lambda-context.ts'
import { RemoteLambdaInvoker } from '../../../src/aws/remote-lambda-invoker.ts'
import { type FakeLambdaServer, startFakeLambda, TEST_CREDENTIALS } from '../../helpers/fake-lambda-server.ts'

const ARN = 'arn:aws:lambda:us-west-2:123456789012:function:orders'

/**
 * The trace a function runs under reaches it where AWS puts a caller's context: a local
 * handler's `context.clientContext.custom.traceparent`, and for a remote function the same
 * object sent as the Invoke call's ClientContext (X-Amz-Client-Context, base64 JSON).
 */
describe('the traceparent in a Lambda function’s client context', () => {
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  })
  const tracer = provider.getTracer('test')
  const contexts = new AsyncLocalStorageContextManager()
  let fake: FakeLambdaServer
  let invoker: RemoteLambdaInvoker
  before(async () => {
    context.setGlobalContextManager(contexts.enable())
    fake = await startFakeLambda({ [ARN]: { kind: 'result', payload: { ok: true } } })
    invoker = new RemoteLambdaInvoker({ endpoint: fake.endpoint, credentials: TEST_CREDENTIALS })
  })
  after(async () => {
    invoker.close()
    await fake.close()
    context.disable()
    await provider.shutdown()
  })

  const local = () =>
    createLambdaContext({
      functionName: 'orders',
      functionArn: ARN,
      deadline: Date.now() + 1000,
      clock: Date.now,
    })

  test('inside a span, the local context and the remote Invoke carry its traceparent', async () => {
    await tracer.startActiveSpan('integration', async (span) => {
      const { traceId, spanId } = span.spanContext()
      const expected = `00-${traceId}-${spanId}-01`
      assert.deepEqual(local().clientContext, { custom: { traceparent: expected } })
      await invoker.invoke({ name: 'orders', arn: ARN }, {}, 5000)
      const sent = fake.invokes.at(-1)!.headers['x-amz-client-context']
      assert.equal(typeof sent, 'string')
      assert.deepEqual(JSON.parse(Buffer.from(String(sent), 'base64').toString('utf8')), {
        custom: { traceparent: expected },
      })
      span.end()
    })
  })

  test('with nothing traced there is no client context', async () => {
    assert.equal(trace.getSpan(context.active()), undefined)
    assert.equal(local().clientContext, undefined)
    await invoker.invoke({ name: 'orders', arn: ARN }, {}, 5000)
    assert.equal(fake.invokes.at(-1)!.headers['x-amz-client-context'], undefined)
  })
})
