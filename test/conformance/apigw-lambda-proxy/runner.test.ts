import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { test } from 'node:test'
import type { FunctionRef } from '../../../src/aws/function-ref.ts'
import type { LambdaInvoker } from '../../../src/aws/lambda-invoker.ts'
import { LocalLambdaInvoker } from '../../../src/aws/local-lambda-invoker.ts'
import { HTTP_API, REST_API } from '../../../src/dialect/api-dialect.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import type { BodyEncoding } from '../../../src/events/event-body.ts'
import type { Deployment, RequestView } from '../../../src/events/request-view.ts'
import type { GatewayRequest } from '../../../src/http/gateway-request.ts'
import { normalizeTarget } from '../../../src/http/normalize-path.ts'
import { Router } from '../../../src/http/router.ts'
import { createLambdaProxyIntegration } from '../../../src/integrations/lambda/lambda-proxy-integration.ts'
import type { BufferedResponse } from '../../../src/integrations/types.ts'
import { streamResponder } from '../../../src/pipeline/stages/respond.ts'
import { resultOfShape } from '../apigw-lambda-authorizer/result-shapes.ts'

/**
 * Lambda proxy conformance: every file in `vectors/` is one behaviour. Event vectors describe a
 * request and the exact event the function must receive; response vectors describe what the
 * function returned and the response the client must get (or the failure status). Both run
 * through the `aws_proxy` integration with a stand-in Lambda, so the builders and mappers are
 * exercised exactly as a request would exercise them.
 */

type ApiKind = 'rest' | 'http'
type PayloadVersion = '1.0' | '2.0'
type BodySpec = { readonly text: string } | { readonly base64: string }

interface RequestSpec {
  readonly api: ApiKind
  readonly binaryMediaTypes?: readonly string[]
  readonly method: string
  readonly target: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body?: BodySpec
  readonly sourceIp: string
  readonly protocol: string
  readonly requestId: string
  readonly receivedAt: number
  readonly stage: string
  readonly resourcePath: string
  readonly routeKey: string
  /** Left out when routing the target through `resourcePath` should supply them. */
  readonly pathParameters?: Record<string, string> | null
  readonly stageVariables: Record<string, string> | null
  readonly deployment: Deployment
  readonly authorizer?: Record<string, unknown>
}

interface EventVector {
  readonly kind: 'event'
  readonly payloadFormatVersion: PayloadVersion
  readonly note?: string
  readonly input: RequestSpec
  readonly expected: Record<string, unknown>
}

interface ResponseVector {
  readonly kind: 'response'
  readonly payloadFormatVersion: PayloadVersion
  readonly note?: string
  /** `resultShape` names a value JSON cannot spell (a cycle, a BigInt …), from result-shapes.ts. */
  readonly input: { readonly api: ApiKind; readonly result?: unknown; readonly resultShape?: string }
  readonly expected:
    | {
        readonly status: number
        readonly headers: readonly (readonly [string, string])[]
        readonly body: BodySpec
      }
    | { readonly failure: { readonly status: number; readonly message: string; readonly reason: string } }
}

type Vector = EventVector | ResponseVector

const FN: FunctionRef = {
  name: 'conformance',
  arn: 'arn:aws:lambda:eu-west-1:111122223333:function:conformance',
}
const OK_RESULT = { statusCode: 200, body: '' }

/** A Lambda that records the event it was given and answers with a canned result. */
function stubInvoker(result: unknown): LambdaInvoker & { readonly events: unknown[] } {
  const events: unknown[] = []
  return {
    events,
    async invoke(_fn, event) {
      events.push(event)
      return structuredClone(result)
    },
    describe: () => 'stub',
  }
}

/** A local handler returning `result`: what it returns goes through the runtime's serialisation. */
function handlerInvoker(result: () => unknown): LambdaInvoker {
  const local = new LocalLambdaInvoker()
  local.register(FN.name, async () => result())
  return local
}

function bodyBytes(spec: BodySpec): Buffer {
  return 'text' in spec ? Buffer.from(spec.text, 'utf8') : Buffer.from(spec.base64, 'base64')
}

function pathParametersOf(spec: RequestSpec, path: string): Readonly<Record<string, string>> | null {
  if (spec.pathParameters !== undefined) return spec.pathParameters
  const router = new Router<true>()
  router.add('ANY', spec.resourcePath, true)
  const match = router.find(spec.method, path)
  assert.ok(match, `${spec.resourcePath} does not match ${path}`)
  assert.equal(match.resourcePath, spec.resourcePath)
  return match.pathParameters
}

function viewOf(spec: RequestSpec): RequestView {
  const target = normalizeTarget(spec.target)
  assert.ok(target.ok, `target ${spec.target} is refused`)
  const headers = new Map<string, string[]>()
  for (const [name, value] of spec.headers) {
    const lower = name.toLowerCase()
    const list = headers.get(lower)
    if (list === undefined) headers.set(lower, [value])
    else list.push(value)
  }
  const request: GatewayRequest = {
    requestId: spec.requestId,
    method: spec.method,
    path: target.path,
    rawQuery: target.rawQuery,
    rawHeaders: spec.headers,
    headers,
    sourceIp: spec.sourceIp,
    protocol: spec.protocol,
    receivedAt: spec.receivedAt,
    body: spec.body === undefined ? undefined : bodyBytes(spec.body),
  }
  return {
    request,
    stage: spec.stage,
    resourcePath: spec.resourcePath,
    routeKey: spec.routeKey,
    pathParameters: pathParametersOf(spec, target.path),
    stageVariables: spec.stageVariables,
    deployment: spec.deployment,
  }
}

function integrationFor(
  version: PayloadVersion,
  api: ApiKind,
  invoker: LambdaInvoker,
  binary: readonly string[],
) {
  const bodyEncoding: BodyEncoding =
    api === 'rest' ? { kind: 'rest', binaryMediaTypes: binary } : { kind: 'http' }
  return createLambdaProxyIntegration({
    fn: FN,
    payloadFormatVersion: version,
    timeoutMs: 1000,
    bodyEncoding,
    invoker,
  })
}

function call(view: RequestView, authorizer: Readonly<Record<string, unknown>> | undefined) {
  const incoming = new IncomingMessage(new Socket())
  return {
    view,
    authorizer,
    identityHeaders: [],
    responseHeaders: undefined,
    incoming,
    outgoing: new ServerResponse(incoming),
    respond: streamResponder(REST_API.invalidHeader),
  }
}

/** Header pairs ordered by name only; pairs of one name keep their relative order. */
function byName(headers: readonly (readonly [string, string])[]): [string, string][] {
  const name = (pair: readonly [string, string]): string => pair[0].toLowerCase()
  return headers
    .map(([n, v]): [string, string] => [n, v])
    .sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0))
}

async function runEvent(vector: EventVector): Promise<void> {
  const { input } = vector
  if (vector.payloadFormatVersion === '2.0')
    assert.equal(input.api, 'http', 'payload 2.0 exists only on HTTP APIs')
  const invoker = stubInvoker(OK_RESULT)
  const integration = integrationFor(
    vector.payloadFormatVersion,
    input.api,
    invoker,
    input.binaryMediaTypes ?? [],
  )
  const result = await integration.invoke(call(viewOf(input), input.authorizer))
  assert.equal(result.kind, 'buffered')
  assert.equal(invoker.events.length, 1)
  assert.deepEqual(invoker.events[0], vector.expected)
}

async function runResponse(vector: ResponseVector, requestVector: RequestSpec): Promise<void> {
  const api = vector.input.api
  const { resultShape } = vector.input
  const invoker = handlerInvoker(() =>
    resultShape === undefined ? structuredClone(vector.input.result) : resultOfShape(resultShape),
  )
  const integration = integrationFor(vector.payloadFormatVersion, api, invoker, [])
  const view = viewOf({ ...requestVector, api })
  const expected = vector.expected
  if ('failure' in expected) {
    await assert.rejects(integration.invoke(call(view, undefined)), (err: unknown) => {
      assert.ok(err instanceof GatewayError)
      // The code is the same for both kinds of API; the dialect decides what the client sees.
      const spec = (api === 'http' ? HTTP_API : REST_API).errorSpec(err.code)
      assert.equal(spec.status, expected.failure.status)
      assert.equal(spec.message, expected.failure.message)
      // `lambda.error` is a failed invocation; any other reason names the malformed response part.
      const { reason } = expected.failure
      assert.equal(err.reason, reason === 'lambda.error' ? reason : `lambda.response.${reason}`)
      return true
    })
    return
  }
  const result = await integration.invoke(call(view, undefined))
  if (result.kind !== 'buffered') assert.fail('the integration streamed instead of answering')
  const response: BufferedResponse = result.response
  assert.equal(response.status, expected.status)
  assert.deepEqual(byName(response.headers), byName(expected.headers))
  assert.deepEqual(Buffer.from(response.body), bodyBytes(expected.body))
}

/** The request every response vector answers; what it holds does not matter to the mapping. */
const ANY_REQUEST: RequestSpec = {
  api: 'rest',
  method: 'GET',
  target: '/orders/42',
  headers: [['Host', 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com']],
  sourceIp: '203.0.113.7',
  protocol: 'HTTP/1.1',
  requestId: 'c0ffee00-0000-4000-8000-000000000000',
  receivedAt: 1710270238000,
  stage: 'prod',
  resourcePath: '/orders/{orderId}',
  routeKey: 'GET /orders/{orderId}',
  stageVariables: null,
  deployment: { apiId: 'a1b2c3d4e5', accountId: '111122223333', region: 'eu-west-1', resourceId: 'x9y8z7' },
}

const dir = new URL('./vectors/', import.meta.url)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()

test('the vector folder holds event and response vectors of both payload versions', () => {
  for (const prefix of ['v1-', 'v2-', 'response-v1-', 'response-v2-'])
    assert.ok(
      files.some((f) => f.startsWith(prefix)),
      `no ${prefix} vector`,
    )
})

for (const file of files) {
  const vector = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Vector
  test(file.replace(/\.json$/, ''), async () => {
    const v = vector.payloadFormatVersion === '2.0' ? 'v2-' : 'v1-'
    assert.ok(file.startsWith(vector.kind === 'event' ? v : `response-${v}`), 'file name and kind disagree')
    if (vector.kind === 'event') await runEvent(vector)
    else await runResponse(vector, ANY_REQUEST)
  })
}
