import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type ConsoleSink,
  installHandlerConsole,
  reportInvokeError,
} from '../../../src/aws/handler-console.ts'
import { runInInvocation } from '../../../src/aws/invocation-scope.ts'

function recordingSink(): ConsoleSink & { lines: [string, Record<string, unknown>, string][] } {
  const lines: [string, Record<string, unknown>, string][] = []
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    lines.push([level, fields, msg])
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  }
}

test('console calls go to the latest sink, tagged inside an invocation, and the console is restored', async () => {
  const original = console.log
  const first = recordingSink()
  const second = recordingSink()
  const restoreFirst = installHandlerConsole(first)
  const restoreSecond = installHandlerConsole(second)
  try {
    console.info('outside %d', 1)
    await runInInvocation({ awsRequestId: 'aws-1', functionName: 'fn', requestId: 'req-1' }, async () => {
      await Promise.resolve()
      console.debug('inside')
    })
    assert.deepEqual(second.lines, [
      ['info', { source: 'console' }, 'outside 1'],
      [
        'debug',
        { source: 'function', functionName: 'fn', awsRequestId: 'aws-1', requestId: 'req-1' },
        'inside',
      ],
    ])
    restoreSecond()
    restoreSecond()
    console.warn('back to the first')
    assert.deepEqual(first.lines, [['warn', { source: 'console' }, 'back to the first']])
  } finally {
    restoreSecond()
    restoreFirst()
  }
  assert.equal(console.log, original)
})

test("a failing handler's Invoke Error line, but none for an authorizer's deliberate Unauthorized", () => {
  const sink = recordingSink()
  const restore = installHandlerConsole(sink)
  try {
    const invocation = { awsRequestId: 'aws-2', functionName: 'auth', requestId: 'req-2' }
    reportInvokeError(invocation, new Error('Unauthorized'))
    assert.equal(sink.lines.length, 0)
    reportInvokeError(invocation, new TypeError('boom'))
    assert.equal(sink.lines.length, 1)
    const [level, fields, msg] = sink.lines[0]!
    assert.equal(level, 'error')
    assert.equal(msg, 'Invoke Error')
    assert.equal(fields.errorType, 'TypeError')
    assert.equal(fields.errorMessage, 'boom')
  } finally {
    restore()
  }
})
