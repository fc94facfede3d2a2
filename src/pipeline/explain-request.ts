import { randomUUID } from 'node:crypto'
import type { ConditionCheck } from '../auth/policy/evaluate-policy.ts'
import { errorSpec } from '../errors/codes.ts'
import { isGatewayError } from '../errors/gateway-error.ts'
import type { RequestView } from '../events/request-view.ts'
import type { GatewayRequest } from '../http/gateway-request.ts'
import { normalizeTarget } from '../http/normalize-path.ts'
import type { RouteTable } from './types.ts'

export interface ExplainInput {
  readonly method: string
  readonly target: string
  readonly headers: readonly (readonly [string, string])[]
  readonly sourceIp?: string
}

export interface Explanation {
  readonly request: string
  readonly steps: readonly { readonly step: string; readonly detail: Readonly<Record<string, unknown>> }[]
  readonly status: number
  readonly outcome: string
}

/**
 * Runs a request through route and the auth stages only (the integration is never called)
 * and records each decision, for `forcegate explain`: why is this 403?
 */
export async function explainRequest(
  table: RouteTable,
  input: ExplainInput,
  clock: () => number,
): Promise<Explanation> {
  const steps: { step: string; detail: Record<string, unknown> }[] = []
  const request = `${input.method} ${input.target}`
  const normalized = normalizeTarget(input.target)
  if (!normalized.ok) return finish(400, `refused at receive: ${normalized.reason}`)
  steps.push({ step: 'receive', detail: { canonicalPath: normalized.path, query: normalized.rawQuery } })
  const headers = new Map<string, string[]>()
  for (const [name, value] of input.headers) {
    const list = headers.get(name.toLowerCase())
    if (list === undefined) headers.set(name.toLowerCase(), [value])
    else list.push(value)
  }
  const req: GatewayRequest = {
    requestId: randomUUID(),
    method: input.method.toUpperCase(),
    path: normalized.path,
    rawQuery: normalized.rawQuery,
    rawHeaders: input.headers,
    headers,
    sourceIp: input.sourceIp ?? '127.0.0.1',
    protocol: 'HTTP/1.1',
    receivedAt: clock(),
    body: undefined,
  }
  const match = table.router.find(req.method, req.path)
  if (match === undefined) {
    steps.push({ step: 'route', detail: { matched: false } })
    return finish(403, 'MISSING_AUTHENTICATION_TOKEN: no route for this method and path')
  }
  const route = match.value
  steps.push({
    step: 'route',
    detail: { routeKey: route.routeKey, resource: match.resourcePath, pathParameters: match.pathParameters },
  })
  if (route.auth === undefined) {
    steps.push({ step: 'authorize', detail: { authorizer: 'none' } })
  } else {
    const view: RequestView = {
      request: req,
      stage: table.stage,
      resourcePath: match.resourcePath,
      routeKey: route.routeKey,
      pathParameters: match.pathParameters,
      stageVariables: table.stageVariables,
      deployment: table.deployment,
    }
    try {
      const outcome = await route.auth.authorize(
        view,
        (detail) => {
          // Authorizers name their own sub-steps (credential, cache, introspection, contract …).
          const { step, conditions, ...rest } = detail
          steps.push({
            step: typeof step === 'string' && step !== 'authorizer' ? step : 'authorize',
            detail: rest,
          })
          // Each Condition that decided whether its statement applied gets a line of its own.
          if (Array.isArray(conditions)) for (const check of conditions) steps.push(conditionStep(check))
        },
        true,
      )
      steps.push({
        step: 'enrich',
        detail: { principalId: outcome.principalId ?? null, authorizer: outcome.authorizerContext ?? null },
      })
    } catch (err) {
      if (!isGatewayError(err)) throw err
      const spec = errorSpec(err.code)
      const last = steps.findLast((s) => s.step !== 'condition')?.detail
      if (err.reason === 'policy.deny.implicit' && last?.cache === 'hit') {
        steps.push({
          step: 'hint',
          detail: {
            note: 'the policy came from the result cache, returned for an earlier request with the same identity; it has no Allow for this method ARN. Return a wildcard Resource or set authorizerResultTtlInSeconds: 0',
          },
        })
      }
      return finish(
        err.status,
        `${spec.responseType} (${err.code}${err.reason === undefined ? '' : `, ${err.reason}`}): ${JSON.stringify(spec.message)}`,
      )
    }
  }
  steps.push({ step: 'integrate', detail: { integration: route.integration.description, called: false } })
  return finish(200, `allowed: the request would reach ${route.integration.type}`)

  function finish(status: number, outcome: string): Explanation {
    return { request, steps, status, outcome }
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
