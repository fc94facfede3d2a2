import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { LambdaAuthorizerConfig } from '../../../src/auth/lambda-authorizer/authorizer-config.ts'
import {
  type AuthorizeResult,
  createLambdaAuthorizer,
} from '../../../src/auth/lambda-authorizer/lambda-authorizer.ts'
import { LocalLambdaInvoker } from '../../../src/aws/local-lambda-invoker.ts'
import { HTTP_API, REST_API } from '../../../src/dialect/api-dialect.ts'
import {
  httpV1AuthorizerContext,
  httpV2AuthorizerContext,
  restAuthorizerContext,
} from '../../../src/dialect/authorizer-context.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { renderError } from '../../../src/errors/render-error.ts'
import { fakeClock } from '../../unit/auth/lambda-authorizer/fake-invoker.ts'
import { makeView, type ViewSpec } from '../../unit/auth/lambda-authorizer/request-view-fixture.ts'
import { resultOfShape } from './result-shapes.ts'

/** What the authorizer function does when invoked. */
type Answer =
  | { returns: unknown }
  /** A value JSON cannot spell (a cycle, a BigInt, a function …), named in result-shapes.ts. */
  | { returnsShape: string }
  | { throws: { name?: string; message: string } }
  | { throwsValue: unknown }
  | { timesOut: true }

interface Expect {
  status: number
  body?: unknown
  /** `null` asserts the header is absent. */
  headers?: Record<string, string | null>
  invoked?: boolean
  /** Subset of the event the function received. */
  event?: Record<string, unknown>
  principalId?: string
  /** `requestContext.authorizer` as the integration's event carries it. */
  requestContextAuthorizer?: Record<string, unknown>
  usageIdentifierKey?: string
}

interface Step {
  request: ViewSpec & { query?: string }
  answer?: Answer
  advanceMs?: number
  concurrent?: number
  expect: Expect
}

interface Vector {
  behaviour: string
  reference: string
  note?: string
  authorizer: Partial<Omit<LambdaAuthorizerConfig, 'dialect'>> &
    Pick<LambdaAuthorizerConfig, 'type'> & { kind: 'rest' | 'http' }
  answer?: Answer
  steps: Step[]
  invocations: number
}

const DIALECTS = { rest: REST_API, http: HTTP_API } as const

const DEFAULTS = {
  rest: { payloadFormatVersion: '1.0', simpleResponses: false, ttlSeconds: 300 },
  http: { payloadFormatVersion: '2.0', simpleResponses: false, ttlSeconds: 300 },
} as const

function toError(answer: Answer): unknown {
  if ('throws' in answer)
    return Object.assign(new Error(answer.throws.message), { name: answer.throws.name ?? 'Error' })
  if ('throwsValue' in answer) return answer.throwsValue
  if ('timesOut' in answer) return Object.assign(new Error('timed out'), { name: 'TimeoutError' })
  return undefined
}

function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object', `${path} is an object`)
    for (const [key, value] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[key], value, `${path}.${key}`)
    }
    return
  }
  assert.deepEqual(actual, expected, path)
}

function integrationAuthorizer(vector: Vector, result: AuthorizeResult): Record<string, unknown> {
  if (vector.authorizer.kind === 'rest') return restAuthorizerContext(result)
  return vector.authorizer.payloadFormatVersion === '1.0'
    ? httpV1AuthorizerContext(result)
    : httpV2AuthorizerContext(result)
}

async function runStep(vector: Vector, step: Step, authorize: (spec: ViewSpec) => Promise<AuthorizeResult>) {
  const { expect } = step
  const spec: ViewSpec = {
    stage: vector.authorizer.kind === 'http' ? '$default' : 'prod',
    ...step.request,
    ...(step.request.query === undefined ? {} : { rawQuery: step.request.query }),
  }
  try {
    const result = await authorize(spec)
    assert.equal(200, expect.status, `allowed, but expected ${expect.status}`)
    if (expect.principalId !== undefined) assert.equal(result.principalId, expect.principalId)
    if (expect.usageIdentifierKey !== undefined)
      assert.equal(result.usageIdentifierKey, expect.usageIdentifierKey)
    if (expect.requestContextAuthorizer !== undefined) {
      assert.deepEqual(integrationAuthorizer(vector, result), expect.requestContextAuthorizer)
    }
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    const rendered = renderError(
      err,
      new Map(),
      { context: {}, stageVariables: {}, headers: new Map(), query: new Map(), pathParameters: {} },
      DIALECTS[vector.authorizer.kind].errorSpec(err.code),
    )
    assert.equal(rendered.status, expect.status, `status (${err.code}, ${err.reason})`)
    if (expect.body !== undefined) assert.deepEqual(JSON.parse(String(rendered.body)), expect.body)
    for (const [name, value] of Object.entries(expect.headers ?? {})) {
      const found = rendered.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())
      assert.equal(found?.[1] ?? null, value, `header ${name}`)
    }
  }
}

const dir = new URL('./vectors/', import.meta.url)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()

test('the vector folder is not empty', () => {
  assert.ok(files.length > 40, `only ${files.length} vectors`)
})

for (const file of files) {
  const vector = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Vector
  test(`${file.replace(/\.json$/, '')}: ${vector.behaviour}`, async () => {
    const { clock, advance } = fakeClock()
    const config = {
      id: 'vector-authorizer',
      functionName: 'vector-fn',
      identitySources: vector.authorizer.type === 'token' ? 'method.request.header.Authorization' : '',
      timeoutMs: 5000,
      ...DEFAULTS[vector.authorizer.kind],
      ...vector.authorizer,
      dialect: DIALECTS[vector.authorizer.kind],
    } as LambdaAuthorizerConfig
    const events: Record<string, unknown>[] = []
    let current: Answer | undefined
    // What a function returns reaches the authorizer the way the local invoker delivers it:
    // through the Lambda runtime's JSON serialisation.
    const fn = { name: 'vector-fn', arn: 'arn:aws:lambda:us-east-1:123456789012:function:vector-fn' }
    const local = new LocalLambdaInvoker(clock)
    local.register(fn.name, async () => {
      const answer = current as Answer
      return 'returnsShape' in answer
        ? resultOfShape(answer.returnsShape)
        : structuredClone((answer as { returns: unknown }).returns)
    })
    const authorizer = createLambdaAuthorizer(config, {
      clock,
      async invoke(_name, event, timeoutMs) {
        events.push(event as Record<string, unknown>)
        assert.ok(current !== undefined, 'the vector gives no answer, so the authorizer must not run')
        const error = toError(current)
        if (error !== undefined) throw error
        return local.invoke(fn, event, timeoutMs)
      },
    })
    for (const [i, step] of vector.steps.entries()) {
      if (step.advanceMs !== undefined) advance(step.advanceMs)
      current = step.answer ?? vector.answer
      const before = events.length
      const n = step.concurrent ?? 1
      await Promise.all(
        Array.from({ length: n }, () =>
          runStep(vector, step, (spec) => authorizer.authorize(makeView(spec))),
        ),
      )
      if (step.expect.invoked !== undefined) {
        assert.equal(events.length > before, step.expect.invoked, `step ${i}: invoked`)
      }
      if (step.expect.event !== undefined) {
        assert.ok(events.length > before, `step ${i}: no event to compare`)
        assertSubset(events.at(-1), step.expect.event, 'event')
      }
    }
    assert.equal(events.length, vector.invocations, 'invocation count')
  })
}
