import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { LambdaFunctionError } from '../../../src/aws/lambda-invoker.ts'
import { substituteTemplate } from '../../../src/errors/template-scope.ts'
import {
  buildContextVariable,
  readResponseOverride,
} from '../../../src/integrations/mapping/context-variable.ts'
import { compileResponseSelector } from '../../../src/integrations/mapping/integration-response-selection.ts'
import { lambdaErrorObject } from '../../../src/integrations/mapping/lambda-error-object.ts'
import { compileMappingTemplate } from '../../../src/integrations/mapping/mapping-template.ts'
import {
  type PassthroughBehavior,
  selectRequestTemplate,
  templatesByMediaType,
} from '../../../src/integrations/mapping/request-template-selection.ts'
import { TemplateRenderError } from '../../../src/integrations/mapping/vtl-engine.ts'

/**
 * API Gateway mapping-template conformance: every file in `vectors/` is one documented
 * behaviour (AWS's PetStore sample, the Lambda custom integration tutorial, the mapping
 * template examples). `render` vectors give a template, the method request and the output
 * AWS documents; `request-template` vectors a Content-Type and passthrough setting and the
 * outcome; `response-selection` vectors an integration result and the status chosen.
 */

interface RenderVector {
  kind: 'render'
  template: string
  request: {
    body?: string
    path?: Record<string, string>
    querystring?: Record<string, string>
    header?: Record<string, string>
    stageVariables?: Record<string, string>
    authorizer?: Record<string, unknown>
    context?: Partial<{
      httpMethod: string
      resourcePath: string
      stage: string
      requestId: string
      apiId: string
    }>
  }
  /**
   * The rendered text or JSON; what the template wrote into `$context.requestOverride` and
   * `$context.responseOverride`; or the start of the error a failing render raises.
   */
  expected: {
    json?: unknown
    text?: string
    requestOverride?: Record<string, Record<string, string>>
    responseOverride?: { status?: number; header?: Record<string, string> }
    error?: string
  }
}
interface RequestTemplateVector {
  kind: 'request-template'
  requestTemplates: string[]
  passthroughBehavior?: string
  contentType?: string
  expected: string
}
interface ResponseSelectionVector {
  kind: 'response-selection'
  /** `mock` without `statusCode`: a request template that names no status, or none at all. */
  integration: 'aws' | 'http' | 'mock'
  responses: Record<string, { statusCode: number; responseTemplate?: string }>
  lambdaError?: { errorType: string; errorMessage: string } | string
  statusCode?: number
  lambdaResult?: unknown
  expected: { statusCode: number | null; json?: unknown }
}
/** A gateway response template: simple substitution, not VTL (AWS's documentation says so). */
interface GatewayResponseVector {
  kind: 'gateway-response'
  template: string
  error: { message: string; responseType: string; validationErrorString?: string }
  context?: Record<string, string>
  stageVariables?: Record<string, string>
  expected: string
}
/** A template Velocity refuses to parse: start-up fails naming the line inside the template. */
interface TemplateErrorVector {
  kind: 'template-error'
  template: string
  expected: { line: number; message: string }
}
type Vector = (
  | RenderVector
  | RequestTemplateVector
  | ResponseSelectionVector
  | GatewayResponseVector
  | TemplateErrorVector
) & {
  source: string
  note?: string
}

const dir = new URL('./vectors/', import.meta.url)
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))

function contextFor(v: RenderVector['request']): Record<string, unknown> {
  return buildContextVariable({
    requestId: v.context?.requestId ?? 'abcdefg-000-000-0000-abcdefg',
    httpMethod: v.context?.httpMethod ?? 'POST',
    resourcePath: v.context?.resourcePath ?? '/',
    path: '/',
    stage: v.context?.stage ?? 'prod',
    apiId: v.context?.apiId ?? 'abcd1234',
    accountId: '111122223333',
    domainName: 'abcd1234.execute-api.us-east-1.amazonaws.com',
    protocol: 'HTTP/1.1',
    requestTime: '04/Dec/2026:13:00:00 +0000',
    requestTimeEpoch: 1796389200000,
    identity: { sourceIp: '192.0.2.1', userAgent: 'curl/7.84.0' },
    ...(v.authorizer === undefined ? {} : { authorizer: v.authorizer }),
  })
}

function renderWith(
  template: string,
  body: string,
  request: RenderVector['request'],
  context: Record<string, unknown> = contextFor(request),
): string {
  return compileMappingTemplate(template, { file: 'vector.json', pointer: '/template' }).render({
    body,
    params: {
      path: request.path ?? {},
      querystring: request.querystring ?? {},
      header: request.header ?? {},
    },
    context,
    stageVariables: request.stageVariables ?? {},
  })
}

function checkRender(v: RenderVector): void {
  const context = contextFor(v.request)
  if (v.expected.error !== undefined) {
    const expected = v.expected.error
    assert.throws(
      () => renderWith(v.template, v.request.body ?? '', v.request, context),
      (err: Error) => err instanceof TemplateRenderError && err.message.startsWith(expected),
    )
    return
  }
  const out = renderWith(v.template, v.request.body ?? '', v.request, context)
  if (v.expected.text !== undefined) assert.equal(out, v.expected.text)
  else if (v.expected.json !== undefined) assert.deepEqual(JSON.parse(out), v.expected.json)
  if (v.expected.requestOverride !== undefined)
    assert.deepEqual(JSON.parse(JSON.stringify(context.requestOverride)), {
      header: {},
      querystring: {},
      path: {},
      ...v.expected.requestOverride,
    })
  if (v.expected.responseOverride !== undefined) {
    const o = readResponseOverride(context)
    assert.deepEqual(
      { status: o.status, header: Object.fromEntries(o.headers) },
      { status: v.expected.responseOverride.status, header: v.expected.responseOverride.header ?? {} },
    )
  }
}

test('the vectors are there', () => assert.ok(files.length >= 15, `${files.length} vectors`))

for (const file of files) {
  const v = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Vector
  test(file.replace(/\.json$/, ''), () => {
    if (v.kind === 'template-error') {
      assert.throws(
        () => compileMappingTemplate(v.template, { file: 'api.yaml', pointer: '/t' }),
        (err: Error) => {
          assert.match(err.message, /^api\.yaml: \/t: /)
          assert.ok(
            err.message.includes(`line ${v.expected.line} of the template: ${v.expected.message}`),
            err.message,
          )
          return true
        },
      )
    } else if (v.kind === 'gateway-response') {
      const out = substituteTemplate(v.template, {
        context: v.context ?? {},
        stageVariables: v.stageVariables ?? {},
        headers: new Map(),
        query: new Map(),
        pathParameters: {},
        error: v.error,
      })
      assert.equal(out, v.expected)
    } else if (v.kind === 'render') checkRender(v)
    else if (v.kind === 'request-template') {
      // Vectors spell it as AWS's exports do (lower case); the document reader upper-cases it.
      const behavior = (v.passthroughBehavior ?? 'when_no_match').toUpperCase() as PassthroughBehavior
      assert.ok(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'].includes(behavior))
      const choice = selectRequestTemplate(
        templatesByMediaType(v.requestTemplates.map((t) => [t, t] as const)),
        v.contentType,
        behavior,
      )
      const outcome =
        choice.kind === 'template'
          ? `template ${choice.template}`
          : choice.kind === 'passthrough'
            ? 'passthrough'
            : '415'
      assert.equal(outcome, v.expected)
    } else {
      const responses = Object.entries(v.responses).map(([pattern, r]) => ({ pattern, ...r }))
      const selector = compileResponseSelector(responses)
      let subject: string | undefined
      let body: string
      if (v.integration === 'aws') {
        const error =
          v.lambdaError === undefined
            ? undefined
            : lambdaErrorObject(
                typeof v.lambdaError === 'string'
                  ? v.lambdaError
                  : new LambdaFunctionError(v.lambdaError.errorType, v.lambdaError.errorMessage),
              )
        // A success is matched as an empty error message, as the Lambda integration does.
        subject = error?.errorMessage ?? ''
        body = JSON.stringify(error ?? v.lambdaResult)
      } else {
        subject = v.statusCode === undefined ? undefined : String(v.statusCode)
        body = JSON.stringify(v.lambdaResult ?? {})
      }
      const chosen = selector.select(subject).response
      assert.equal(chosen?.statusCode ?? null, v.expected.statusCode)
      if (v.expected.json !== undefined) {
        const out =
          chosen?.responseTemplate === undefined ? body : renderWith(chosen.responseTemplate, body, {})
        const parsed = JSON.parse(out) as Record<string, unknown>
        if (v.integration === 'aws' && v.lambdaError !== undefined && chosen?.responseTemplate === undefined)
          delete parsed.stackTrace
        assert.deepEqual(parsed, v.expected.json)
      }
    }
  })
}
