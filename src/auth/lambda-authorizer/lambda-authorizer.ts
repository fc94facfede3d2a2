import type { Clock } from '../../cache/ttl-lru.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { RequestView } from '../../events/request-view.ts'
import { readIdentityValues } from '../identity-source.ts'
import { type ConditionCheck, evaluatePolicy } from '../policy/evaluate-policy.ts'
import { formatExecuteApiArn, methodArnTooLong } from '../policy/execute-api-arn.ts'
import { compileAuthorizerConfig, type LambdaAuthorizerConfig } from './authorizer-config.ts'
import { type AuthorizerTrail, createTrail, fingerprint } from './authorizer-trail.ts'
import { buildHttpRequestEventV1, buildRequestEventV1 } from './event-request-v1.ts'
import { buildRequestEventV2 } from './event-request-v2.ts'
import { buildTokenEvent } from './event-token.ts'
import type { AuthorizedIdentity } from './integration-context.ts'
import {
  identityRejected,
  invocationFailure,
  malformedOutput,
  policyDenied,
  simpleDenied,
} from './outcome.ts'
import { type AuthorizerOutput, parseAuthorizerOutput } from './output.ts'
import { AuthorizerResultCache, type CachedResult, resultCacheKey } from './result-cache.ts'

export interface LambdaAuthorizerDeps {
  /** Resolves with the function's return value; rejects with what it threw (`name: 'TimeoutError'` on timeout). */
  invoke(functionName: string, event: unknown, timeoutMs: number, requestId?: string): Promise<unknown>
  readonly clock: Clock
  /** Bound on cached results; defaults to 10 000. */
  readonly maxCacheEntries?: number
}

export interface AuthorizeOptions {
  /** Filled in as authorization proceeds, also when it throws. */
  readonly trail?: AuthorizerTrail
}

export interface AuthorizeResult extends AuthorizedIdentity {
  readonly usageIdentifierKey?: string
  readonly fromCache: boolean
  readonly decidedBy?: { readonly statementIndex: number }
  readonly trail: AuthorizerTrail
}

export interface LambdaAuthorizer {
  readonly id: string
  /** Allows, or throws the `GatewayError` the client must see (401, 403, 414 or 500). */
  authorize(view: RequestView, options?: AuthorizeOptions): Promise<AuthorizeResult>
}

/**
 * A Lambda (custom) authorizer with API Gateway's semantics, from identity-source gate to
 * decision. Configuration is validated and compiled here, once; a request only reads
 * identity values, consults the cache, perhaps invokes, and evaluates.
 */
export function createLambdaAuthorizer(
  config: LambdaAuthorizerConfig,
  deps: LambdaAuthorizerDeps,
): LambdaAuthorizer {
  const compiled = compileAuthorizerConfig(config)
  const { kind, type, payloadFormatVersion } = config
  const cache = new AuthorizerResultCache(deps.maxCacheEntries, deps.clock)

  function buildEvent(view: RequestView, arn: string, values: readonly string[]): unknown {
    if (type === 'token') return buildTokenEvent(values[0]!, arn)
    if (kind === 'rest') return buildRequestEventV1(view, arn)
    return payloadFormatVersion === '2.0'
      ? buildRequestEventV2(view, arn, values)
      : buildHttpRequestEventV1(view, arn, values)
  }

  async function invokeAndParse(
    event: unknown,
    requestId: string,
    trail: AuthorizerTrail,
  ): Promise<{ output: AuthorizerOutput; latencyMs: number }> {
    const started = deps.clock()
    trail.invoked = true
    let raw: unknown
    try {
      raw = await deps.invoke(config.functionName, event, config.timeoutMs, requestId)
    } catch (thrown) {
      throw invocationFailure(thrown)
    }
    const latencyMs = deps.clock() - started
    trail.latencyMs = latencyMs
    const parsed = parseAuthorizerOutput(raw, config)
    if (!parsed.ok) throw malformedOutput(parsed.reason, parsed.detail)
    return { output: parsed.output, latencyMs }
  }

  function decide(
    output: AuthorizerOutput,
    arn: string,
    view: RequestView,
    trail: AuthorizerTrail,
    explaining: boolean,
  ): number | undefined {
    if (output.kind === 'simple') {
      if (!output.isAuthorized) throw simpleDenied()
      return undefined
    }
    const onCondition = explaining ? (check: ConditionCheck) => trail.conditions.push(check) : undefined
    const decision = evaluatePolicy(output.policy, arn, { sourceIp: view.request.sourceIp }, onCondition)
    if (decision.effect === 'deny') {
      if (decision.reason === 'explicit') trail.statementIndex = decision.statementIndex
      throw policyDenied(decision, output.principalId)
    }
    trail.statementIndex = decision.statementIndex
    return decision.statementIndex
  }

  async function run(
    view: RequestView,
    trail: AuthorizerTrail,
    explaining: boolean,
  ): Promise<AuthorizeResult> {
    const arn = formatExecuteApiArn({
      region: view.deployment.region,
      accountId: view.deployment.accountId,
      apiId: view.deployment.apiId,
      stage: view.stage,
      method: view.request.method,
      path: view.request.path,
    })
    trail.arn = arn
    if (methodArnTooLong(arn))
      throw new GatewayError('GW_AUTHORIZER_ARN_TOO_LONG', { reason: 'authorizer.arn_too_long' })

    const identity = readIdentityValues(compiled.sources, view, kind)
    // Hashing identity values for the trail is only worth it when someone reads the trail.
    if (explaining) {
      trail.identity = compiled.sources.map((s, i) => {
        const value = identity.values[i]
        return value === undefined
          ? { expression: s.expression, present: false }
          : { expression: s.expression, present: true, sha256: fingerprint(value) }
      })
    }
    if (!identity.ok)
      throw identityRejected('identity.missing', `identity source ${identity.missing} is missing or empty`)
    if (compiled.validation !== undefined && !compiled.validation.test(identity.values[0]!)) {
      throw identityRejected(
        'identity.validation_expression',
        'the token does not match identityValidationExpression',
      )
    }

    const load = () => invokeAndParse(buildEvent(view, arn, identity.values), view.request.requestId, trail)
    let result: CachedResult
    if (compiled.ttlMs === 0) {
      trail.cache = 'off'
      result = { ...(await load()), source: 'invoke' }
    } else {
      const key = resultCacheKey(config.id, view.stage, identity.values)
      result = await cache.getOrLoad(key, compiled.ttlMs, load)
      trail.cache = result.source === 'cache' ? 'hit' : result.source === 'joined' ? 'joined' : 'miss'
    }

    const { output } = result
    const statementIndex = decide(output, arn, view, trail, explaining)
    const fromCache = result.source !== 'invoke'
    const base = {
      context: output.context,
      integrationLatency: fromCache ? 0 : result.latencyMs,
      fromCache,
      trail,
    }
    const withPrincipal = output.kind === 'policy' ? { ...base, principalId: output.principalId } : base
    const withKey =
      output.kind === 'policy' && output.usageIdentifierKey !== undefined
        ? { ...withPrincipal, usageIdentifierKey: output.usageIdentifierKey }
        : withPrincipal
    return statementIndex === undefined ? withKey : { ...withKey, decidedBy: { statementIndex } }
  }

  return {
    id: config.id,
    async authorize(view, options) {
      const trail = options?.trail ?? createTrail(config.id)
      try {
        const result = await run(view, trail, options?.trail !== undefined)
        trail.outcome = 'allow'
        return result
      } catch (err) {
        if (err instanceof GatewayError) {
          trail.outcome = err.status === 401 ? 'unauthorized' : err.status === 403 ? 'deny' : 'error'
          trail.reason = err.reason
        }
        throw err
      }
    },
  }
}
