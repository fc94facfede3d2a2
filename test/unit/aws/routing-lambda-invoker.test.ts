import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FunctionRef } from '../../../src/aws/function-ref.ts'
import { LocalLambdaInvoker } from '../../../src/aws/local-lambda-invoker.ts'
import {
  DEFAULT_REMOTE_LAMBDA_CONFIG,
  RoutingLambdaInvoker,
} from '../../../src/aws/routing-lambda-invoker.ts'
import { type FakeLambdaServer, startFakeLambda, TEST_CREDENTIALS } from '../../helpers/fake-lambda-server.ts'

const ACCOUNT = '123456789012'
const ref = (name: string, account = ACCOUNT): FunctionRef => ({
  name,
  arn: `arn:aws:lambda:us-east-1:${account}:function:${name}`,
})

describe('RoutingLambdaInvoker', () => {
  let fake: FakeLambdaServer
  let first: FakeLambdaServer
  let folder: string
  let invoker: RoutingLambdaInvoker
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'forcegate-routing-'))
    const local = `export const handler = async (event, context) => ({ ran: 'local', fn: context.functionName })\n`
    for (const name of ['billing', 'orders-api']) await writeFile(join(folder, `${name}.mjs`), local)
    const remote = (name: string, account = ACCOUNT) => ({
      [ref(name, account).arn]: { kind: 'result' as const, payload: { ran: 'remote', fn: name } },
    })
    fake = await startFakeLambda({
      ...remote('orders-api'),
      ...remote('orders-batch'),
      ...remote('shared', '999999999999'),
    })
    first = await startFakeLambda({
      [ref('orders-api').arn]: { kind: 'result', payload: { ran: 'first rule' } },
    })
    invoker = new RoutingLambdaInvoker(
      new LocalLambdaInvoker(),
      {
        remote: [
          { match: 'orders-api', region: 'us-east-1', endpoint: first.endpoint },
          { match: 'orders-*', endpoint: fake.endpoint },
          { match: 'arn:aws:lambda:*:999999999999:function:*', endpoint: fake.endpoint },
        ],
      },
      { credentials: TEST_CREDENTIALS },
    )
  })
  after(async () => {
    invoker.close()
    await fake.close()
    await first.close()
    await rm(folder, { recursive: true, force: true })
  })

  test('a function no rule matches runs its local module', async () => {
    await invoker.load(ref('billing'), [folder], 'test')
    assert.equal(invoker.isRemote(ref('billing')), false)
    assert.deepEqual(await invoker.invoke(ref('billing'), {}, 1000), { ran: 'local', fn: 'billing' })
    assert.match(invoker.describe(ref('billing')), /^local /)
  })

  test('a name glob routes to AWS Lambda, and no local module is needed for it', async () => {
    await invoker.load(ref('orders-batch'), [folder], 'test')
    assert.equal(invoker.isRemote(ref('orders-batch')), true)
    assert.deepEqual(await invoker.invoke(ref('orders-batch'), { n: 1 }, 2000), {
      ran: 'remote',
      fn: 'orders-batch',
    })
    assert.match(invoker.describe(ref('orders-batch')), /^aws lambda arn:aws:lambda:us-east-1:/)
  })

  test('the first matching rule wins', async () => {
    // orders-api also matches orders-*, whose endpoint would answer { ran: 'remote' }.
    assert.match(invoker.describe(ref('orders-api')), new RegExp(`via ${first.endpoint}`))
    assert.deepEqual(await invoker.invoke(ref('orders-api'), {}, 2000), { ran: 'first rule' })
    assert.equal(fake.invokes.filter((i) => i.functionName.endsWith(':orders-api')).length, 0)
  })

  test('an ARN glob matches on the ARN, not the name', async () => {
    assert.equal(invoker.isRemote(ref('shared')), false)
    assert.equal(invoker.isRemote(ref('shared', '999999999999')), true)
    assert.deepEqual(await invoker.invoke(ref('shared', '999999999999'), {}, 2000), {
      ran: 'remote',
      fn: 'shared',
    })
  })

  test('a function no rule matches needs its local module', async () => {
    await assert.rejects(invoker.load(ref('absent'), [folder], 'test'), /has no module/)
  })

  test('glob characters other than * are literal', () => {
    const literal = new RoutingLambdaInvoker(new LocalLambdaInvoker(), { remote: [{ match: 'a.c' }] })
    assert.equal(literal.isRemote(ref('a.c')), true)
    assert.equal(literal.isRemote(ref('abc')), false)
  })

  test('by default every function is local', () => {
    const plain = new RoutingLambdaInvoker(new LocalLambdaInvoker(), DEFAULT_REMOTE_LAMBDA_CONFIG)
    assert.equal(plain.isRemote(ref('orders-api')), false)
    assert.deepEqual(DEFAULT_REMOTE_LAMBDA_CONFIG, { remote: [] })
  })
})
