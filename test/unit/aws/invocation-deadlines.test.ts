import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { LocalLambdaInvoker } from '../../../src/aws/local-lambda-invoker.ts'

const fn = (name: string) => ({ name, arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}` })
const NEVER = () => new Promise(() => undefined)

describe('local invocations that outlive their timeout', () => {
  test('a handler that never settles rejects with TimeoutError once its timeout has passed', async () => {
    const invoker = new LocalLambdaInvoker()
    invoker.register('stuck', NEVER)
    const started = performance.now()
    await assert.rejects(invoker.invoke(fn('stuck'), {}, 60), {
      name: 'TimeoutError',
      message: 'stuck did not finish within 60 ms',
    })
    assert.ok(performance.now() - started >= 59, 'not before its timeout')
  })

  test('each stuck invocation times out on its own deadline; the ones that answer are not touched', async () => {
    const invoker = new LocalLambdaInvoker()
    invoker.register('stuck', NEVER)
    invoker.register('quick', async (event) => event)
    const outcomes: Promise<string>[] = []
    const label = (p: Promise<unknown>, name: string) =>
      p.then(
        () => `${name} answered`,
        (err: Error) => `${name} ${err.name}`,
      )
    outcomes.push(label(invoker.invoke(fn('stuck'), {}, 80), 'first stuck'))
    outcomes.push(label(invoker.invoke(fn('quick'), { n: 1 }, 80), 'quick'))
    outcomes.push(label(invoker.invoke(fn('stuck'), {}, 20), 'short stuck'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    outcomes.push(label(invoker.invoke(fn('stuck'), {}, 80), 'second stuck'))
    outcomes.push(label(invoker.invoke(fn('quick'), { n: 2 }, 80), 'quick again'))
    const order: string[] = []
    await Promise.all(outcomes.map((p) => p.then((outcome) => order.push(outcome))))
    assert.deepEqual(order, [
      'quick answered',
      'short stuck TimeoutError',
      'quick again answered',
      'first stuck TimeoutError',
      'second stuck TimeoutError',
    ])
  })

  test('an invocation that answered does not keep the process alive until its timeout', async () => {
    const invoker = fileURLToPath(new URL('../../../src/aws/local-lambda-invoker.ts', import.meta.url))
    const script = `
      import { LocalLambdaInvoker } from ${JSON.stringify(invoker)}
      const invoker = new LocalLambdaInvoker()
      invoker.register('quick', async () => 'ok')
      const fn = { name: 'quick', arn: 'quick' }
      for (let i = 0; i < 3; i++) await invoker.invoke(fn, {}, 600000)
    `
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' })
    const timer = setTimeout(() => child.kill(), 60_000)
    const [code] = await once(child, 'exit')
    clearTimeout(timer)
    assert.equal(code, 0, 'exited by itself, long before the ten-minute timeout')
  })
})
