import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { validateHeaderName, validateHeaderValue } from 'node:http'
import { PassThrough } from 'node:stream'
import type { ConditionCheck } from '../auth/policy/evaluate-policy.ts'
import { createRequestContext } from './request-context.ts'
import { EXPLAIN_STAGES, runStages, STAGES } from './run.ts'
import { recordTrail, trailSink } from './trail.ts'
import type { RouteTable } from './types.ts'

export interface ExplainInput {
  readonly method: string
  readonly target: string
  readonly headers: readonly (readonly [string, string])[]
  readonly sourceIp?: string
}

export interface ExplainOptions {
  /**
   * `dry-run` (the default): an integration whose call leaves the gateway is not called.
   * `call`: buffered integrations are called too (local functions, mocks), so the explained
   * answer is the served one; nothing is counted against usage plans either way.
   */
  readonly integrate?: 'dry-run' | 'call'
}

export interface Explanation {
  readonly request: string
  readonly steps: readonly { readonly step: string; readonly detail: Readonly<Record<string, unknown>> }[]
  readonly status: number
  /** The response headers the gateway would send (without the request id). */
  readonly headers: Readonly<Record<string, string | string[]>>
  readonly outcome: string
}

/**
 * Runs a request through the server's own stages, with an integrate stage that calls nothing
 * with effects and usage counted nowhere, and reads back what each stage decided from the
 * trail: why is this 403? The status and headers are what respond wrote.
 */
export async function explainRequest(
  table: RouteTable,
  input: ExplainInput,
  clock: () => number,
  options: ExplainOptions = {},
): Promise<Explanation> {
  const requestId = randomUUID()
  const res = new RecordedResponse()
  const incoming = requestOf(input)
  const ctx = createRequestContext(
    table,
    incoming,
    res as unknown as ServerResponse,
    requestId,
    clock,
    trailSink(requestId),
    true,
  )
  const stages = options.integrate === 'call' ? STAGES : EXPLAIN_STAGES
  const { steps } = await recordTrail(requestId, () => runStages(ctx, stages, undefined))
  const trail: { step: string; detail: Readonly<Record<string, unknown>> }[] = []
  for (const { step, detail } of steps) {
    const { conditions, ...rest } = detail
    // Authorizers name their own sub-steps (credential, cache, introspection, contract …).
    trail.push({ step: step === 'authorizer' ? 'authorize' : step, detail: rest })
    // Each Condition that decided whether its statement applied gets a line of its own.
    if (Array.isArray(conditions)) for (const check of conditions) trail.push(conditionStep(check))
  }
  const failure = ctx.failure
  let outcome: string
  if (failure === undefined) {
    const integration = ctx.route!.integration
    outcome = `allowed: the request would reach ${integration.type}`
  } else {
    const spec = table.dialect.errorSpec(failure.code)
    const last = trail.findLast((s) => s.step !== 'condition')?.detail
    // An implicit deny served from the cache is API Gateway's best-known pitfall: say so.
    if (failure.code === 'GW_ACCESS_DENIED' && last?.cache === 'hit') {
      trail.push({
        step: 'hint',
        detail: {
          note: 'the policy came from the result cache, returned for an earlier request with the same identity; it has no Allow for this method ARN. Return a wildcard Resource or set authorizerResultTtlInSeconds: 0',
        },
      })
    }
    outcome = `${spec.responseType} (${failure.code}${failure.reason === undefined ? '' : `, ${failure.reason}`}): ${JSON.stringify(spec.message)}`
    // A gateway 5xx is a failure behind it (a function that threw, an upstream that refused):
    // the client never sees why, the one explaining must.
    if (spec.status >= 500 && failure.detail !== undefined) outcome += `; cause: ${failure.detail}`
  }
  // A dry run of an integration with effects answers nothing: what the route allows is a 200.
  const status = res.statusCode === 0 ? 200 : res.statusCode
  return { request: `${input.method} ${input.target}`, steps: trail, status, headers: res.headers, outcome }
}

/** A request as the receive stage reads it from a socket; `explain` has none. */
function requestOf(input: ExplainInput): IncomingMessage {
  const rawHeaders: string[] = []
  for (const [name, value] of input.headers) rawHeaders.push(name, value)
  if (!input.headers.some(([name]) => name.toLowerCase() === 'host')) rawHeaders.push('Host', 'localhost')
  const body = new PassThrough()
  body.end()
  return Object.assign(body, {
    method: input.method.toUpperCase(),
    url: input.target,
    httpVersion: '1.1',
    rawHeaders,
    complete: true,
    socket: { remoteAddress: input.sourceIp ?? '127.0.0.1' },
  }) as unknown as IncomingMessage
}

/** Records what respond wrote, checking header names and values as Node's server would. */
class RecordedResponse {
  statusCode = 0
  headersSent = false
  headers: Record<string, string | string[]> = {}

  writeHead(status: number, headers: Record<string, string | string[]>): this {
    for (const [name, value] of Object.entries(headers)) {
      validateHeaderName(name)
      for (const v of Array.isArray(value) ? value : [value]) validateHeaderValue(name, v)
    }
    const { 'x-amzn-requestid': _id, ...rest } = headers
    this.statusCode = status
    this.headers = rest
    this.headersSent = true
    return this
  }

  end(): this {
    return this
  }

  destroy(): this {
    return this
  }
}

function conditionStep(check: ConditionCheck): { step: string; detail: Record<string, unknown> } {
  return {
    step: 'condition',
    detail: {
      statement: check.statementIndex,
      effect: check.effect,
      applies: check.satisfied,
      keys: check.keys.map(
        (k) =>
          `${k.operator} ${k.key}: ${k.satisfied ? 'satisfied' : 'not satisfied'}${k.inRequest ? '' : ' (not in the request: IAM absent-key rule)'}`,
      ),
    },
  }
}
