import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FunctionRef } from '../../../src/aws/function-ref.ts'
import { LambdaFunctionError } from '../../../src/aws/lambda-invoker.ts'
import { RemoteLambdaInvoker } from '../../../src/aws/remote-lambda-invoker.ts'
import { type FakeLambdaServer, startFakeLambda, TEST_CREDENTIALS } from '../../helpers/fake-lambda-server.ts'

const arn = (name: string, region = 'us-west-2'): string =>
  `arn:aws:lambda:${region}:123456789012:function:${name}`
const ref = (name: string, region?: string): FunctionRef => ({ name, arn: arn(name, region) })

describe('RemoteLambdaInvoker against a Lambda Invoke endpoint', () => {
  let fake: FakeLambdaServer
  let invoker: RemoteLambdaInvoker
  before(async () => {
    fake = await startFakeLambda({
      [arn('orders')]: { kind: 'result', payload: { statusCode: 200, body: 'ok' } },
      [arn('orders', 'eu-west-1')]: { kind: 'result', payload: { region: 'eu' } },
      [`${arn('orders')}:live`]: { kind: 'result', payload: 'alias' },
      [arn('nothing')]: { kind: 'result', payload: null },
      [arn('fails')]: { kind: 'error', errorType: 'TypeError', errorMessage: 'x is not a function' },
      [arn('auth')]: { kind: 'error', errorType: 'Error', errorMessage: 'Unauthorized' },
      [arn('slow')]: { kind: 'hang' },
    })
    invoker = new RemoteLambdaInvoker({ endpoint: fake.endpoint, credentials: TEST_CREDENTIALS })
  })
  after(async () => {
    invoker.close()
    await fake.close()
  })

  test('a result comes back as the parsed payload; the request is a signed Invoke of the ARN', async () => {
    const event = { path: '/orders/7', headers: { 'x-tenant': 't-1' }, body: '{"qty":2}' }
    const result = await invoker.invoke(ref('orders'), event, 5000)
    assert.deepEqual(result, { statusCode: 200, body: 'ok' })
    const seen = fake.invokes.at(-1)!
    assert.equal(seen.rawPath, `/2015-03-31/functions/${encodeURIComponent(arn('orders'))}/invocations`)
    assert.deepEqual(seen.event, event)
    const authorization = String(seen.headers.authorization)
    assert.match(
      authorization,
      /^AWS4-HMAC-SHA256 Credential=AKIAFORCEGATETEST000\/\d{8}\/us-west-2\/lambda\//,
    )
    assert.match(authorization, /Signature=[0-9a-f]{64}$/)
  })

  test("the region comes from the function's ARN", async () => {
    assert.deepEqual(await invoker.invoke(ref('orders', 'eu-west-1'), {}, 5000), { region: 'eu' })
    assert.match(String(fake.invokes.at(-1)!.headers.authorization), /\/eu-west-1\/lambda\/aws4_request/)
  })

  test('a configured region wins over the ARN', async () => {
    const pinned = new RemoteLambdaInvoker({
      endpoint: fake.endpoint,
      region: 'ap-south-1',
      credentials: TEST_CREDENTIALS,
    })
    try {
      await pinned.invoke(ref('orders'), {}, 5000)
      assert.match(String(fake.invokes.at(-1)!.headers.authorization), /\/ap-south-1\/lambda\/aws4_request/)
      assert.match(pinned.describe(ref('orders')), /ap-south-1/)
    } finally {
      pinned.close()
    }
  })

  test('an alias or version qualifier stays in the function name sent', async () => {
    assert.equal(await invoker.invoke({ name: 'orders', arn: `${arn('orders')}:live` }, {}, 5000), 'alias')
    assert.equal(fake.invokes.at(-1)!.functionName, `${arn('orders')}:live`)
  })

  test('a null result is null', async () => {
    assert.equal(await invoker.invoke(ref('nothing'), {}, 5000), null)
  })

  test('a function error rejects with LambdaFunctionError carrying errorType and errorMessage', async () => {
    const err = await invoker.invoke(ref('fails'), {}, 5000).then(
      () => assert.fail('should reject'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof LambdaFunctionError)
    assert.equal(err.errorType, 'TypeError')
    assert.equal(err.message, 'x is not a function')
  })

  test('an authorizer failing with "Unauthorized" keeps that exact message', async () => {
    await assert.rejects(invoker.invoke(ref('auth'), { type: 'TOKEN' }, 5000), (err: unknown) => {
      assert.ok(err instanceof LambdaFunctionError)
      assert.equal(err.message, 'Unauthorized')
      return true
    })
  })

  test('a call that outlives its timeout rejects with TimeoutError at the deadline', async () => {
    const started = Date.now()
    await assert.rejects(invoker.invoke(ref('slow'), {}, 150), (err: unknown) => {
      assert.ok(err instanceof Error)
      assert.equal(err.name, 'TimeoutError')
      assert.match(err.message, /slow did not finish within 150 ms/)
      return true
    })
    const elapsed = Date.now() - started
    assert.ok(elapsed >= 140 && elapsed < 2000, `took ${elapsed} ms`)
  })

  test('a service error rejects with its name and never with the credentials', async () => {
    await assert.rejects(invoker.invoke(ref('missing'), {}, 5000), (err: unknown) => {
      assert.ok(err instanceof Error)
      assert.ok(!(err instanceof LambdaFunctionError))
      assert.equal(err.name, 'ResourceNotFoundException')
      assert.match(err.message, /missing failed \(HTTP 404\)/)
      assert.ok(!err.message.includes(TEST_CREDENTIALS.accessKeyId))
      assert.ok(!err.message.includes(TEST_CREDENTIALS.secretAccessKey))
      return true
    })
  })

  test('a transport error rejects without leaking credentials', async () => {
    const closed = await startFakeLambda({})
    await closed.close()
    const down = new RemoteLambdaInvoker({ endpoint: closed.endpoint, credentials: TEST_CREDENTIALS })
    try {
      await assert.rejects(down.invoke(ref('orders'), {}, 5000), (err: unknown) => {
        assert.ok(err instanceof Error)
        assert.notEqual(err.name, 'TimeoutError')
        assert.match(err.message, /^Lambda invoke of orders failed/)
        assert.ok(!err.message.includes(TEST_CREDENTIALS.accessKeyId))
        assert.ok(!err.message.includes(TEST_CREDENTIALS.secretAccessKey))
        return true
      })
    } finally {
      down.close()
    }
  })
})
