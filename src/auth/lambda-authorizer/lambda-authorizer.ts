import type { Clock } from '../../cache/ttl-lru.ts'
import type { AuthorizerRequestEvent } from '../../dialect/api-dialect.ts'
import type { AuthorizedIdentity } from '../../dialect/authorizer-context.ts'
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
import {
  identityRejected,
  invocationFailure,
  malformedOutput,
  policyDenied,
  simpleDenied,
} from './outcome.ts'
import { type AuthorizerOutput, type OutputFormat, parseAuthorizerOutput } from './output.ts'
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

/** What the authorizer decided for one request (a refusal is thrown as a GatewayError). */
export interface AuthorizerDecision extends AuthorizedIdentity {
  readonly principalId: string | undefined
  readonly usageIdentifierKey: string | undefined
  readonly fromCache: boolean
  /** The policy statement that allowed (none for a simple response). */
  readonly statementIndex: number | undefined
}

export interface AuthorizeResult extends AuthorizerDecision {
  readonly decidedBy: { readonly statementIndex: number } | undefined
  readonly trail: AuthorizerTrail
}

export interface LambdaAuthorizer {
  readonly id: string
  /** Whether decisions are cached (a result TTL above 0). */
  readonly caches: boolean
  /** Allows, or throws the `GatewayError` the client must see (401, 403, 414 or 500). */
  authorize(view: RequestView, options?: AuthorizeOptions): Promise<AuthorizeResult>
  /**
   * The request path's form of `authorize`: a decision the result cache already holds is
   * returned (or thrown) synchronously, not as a promise; only an invocation is awaited.
   * `trail` is filled in only when given (someone is explaining the request).
   */
  decide(
    view: RequestView,
    trail: AuthorizerTrail | undefined,
  ): AuthorizerDecision | Promise<AuthorizerDecision>
}

type RequestEventBuilder = (view: RequestView, arn: string, values: readonly string[]) => unknown

/** The REQUEST event each of the dialect's formats names. */
const REQUEST_EVENTS: Readonly<Record<AuthorizerRequestEvent, RequestEventBuilder>> = {
  'rest-1.0': (view, arn) => buildRequestEventV1(view, arn),
  'http-1.0': buildHttpRequestEventV1,
  'http-2.0': buildRequestEventV2,
}

const tokenEvent: RequestEventBuilder = (_view, arn, values) => buildTokenEvent(values[0]!, arn)

interface Loaded {
  readonly output: AuthorizerOutput
  readonly latencyMs: number
}

/**
 * A Lambda (custom) authorizer with API Gateway's semantics, from identity-source gate to
 * decision. Configuration is validated and compiled here, once (the event and output formats
 * come from the API's dialect); a request only reads identity values, consults the cache,
 * perhaps invokes, and evaluates.
 */
export function createLambdaAuthorizer(
  config: LambdaAuthorizerConfig,
  deps: LambdaAuthorizerDeps,
): LambdaAuthorizer {
  const compiled = compileAuthorizerConfig(config)
  const { dialect } = config
  const syntax = dialect.identitySyntax
  const buildEvent: RequestEventBuilder =
    config.type === 'token'
      ? tokenEvent
      : REQUEST_EVENTS[dialect.authorizerRequestEvent(config.payloadFormatVersion)]
  const format: OutputFormat = {
    contextValues: dialect.authorizerContextValues,
    simpleResponses: config.simpleResponses,
  }
  const cache = new AuthorizerResultCache(deps.maxCacheEntries, deps.clock)

  async function invokeAndParse(
    event: unknown,
    requestId: string,
    trail: AuthorizerTrail | undefined,
  ): Promise<Loaded> {
    const started = deps.clock()
    if (trail !== undefined) trail.invoked = true
    let raw: unknown
    try {
      raw = await deps.invoke(config.functionName, event, config.timeoutMs, requestId)
    } catch (thrown) {
      throw invocationFailure(thrown)
    }
    const latencyMs = deps.clock() - started
    if (trail !== undefined) trail.latencyMs = latencyMs
    const parsed = parseAuthorizerOutput(raw, format)
    if (!parsed.ok) throw malformedOutput(parsed.reason, parsed.detail)
    return { output: parsed.output, latencyMs }
  }

  /** Evaluates `output` for this request: the decision, or the refusal thrown. */
  function decideOutput(
    output: AuthorizerOutput,
    latencyMs: number,
    fromCache: boolean,
    arn: string,
    view: RequestView,
    trail: AuthorizerTrail | undefined,
  ): AuthorizerDecision {
    if (output.kind === 'simple') {
      if (!output.isAuthorized) throw simpleDenied()
      return {
        principalId: undefined,
        context: output.context,
        integrationLatency: fromCache ? 0 : latencyMs,
        usageIdentifierKey: undefined,
        fromCache,
        statementIndex: undefined,
      }
    }
    const onCondition =
      trail === undefined ? undefined : (check: ConditionCheck) => trail.conditions.push(check)
    const decision = evaluatePolicy(output.policy, arn, { sourceIp: view.request.sourceIp }, onCondition)
    if (decision.effect === 'deny') {
      if (decision.reason === 'explicit' && trail !== undefined)
        trail.statementIndex = decision.statementIndex
      throw policyDenied(decision, output.principalId)
    }
    if (trail !== undefined) trail.statementIndex = decision.statementIndex
    return {
      principalId: output.principalId,
      context: output.context,
      integrationLatency: fromCache ? 0 : latencyMs,
      usageIdentifierKey: output.usageIdentifierKey,
      fromCache,
      statementIndex: decision.statementIndex,
    }
  }

  async function loadAndDecide(
    key: string | undefined,
    event: unknown,
    arn: string,
    view: RequestView,
    trail: AuthorizerTrail | undefined,
  ): Promise<AuthorizerDecision> {
    const load = () => invokeAndParse(event, view.request.requestId, trail)
    let result: CachedResult
    if (key === undefined) {
      if (trail !== undefined) trail.cache = 'off'
      result = { ...(await load()), source: 'invoke' }
    } else {
      result = await cache.getOrLoad(key, compiled.ttlMs, load)
      if (trail !== undefined)
        trail.cache = result.source === 'cache' ? 'hit' : result.source === 'joined' ? 'joined' : 'miss'
    }
    return decideOutput(result.output, result.latencyMs, result.source !== 'invoke', arn, view, trail)
  }

  function decide(
    view: RequestView,
    trail: AuthorizerTrail | undefined,
  ): AuthorizerDecision | Promise<AuthorizerDecision> {
    const arn = formatExecuteApiArn({
      region: view.deployment.region,
      accountId: view.deployment.accountId,
      apiId: view.deployment.apiId,
      stage: view.stage,
      method: view.request.method,
      path: view.request.path,
    })
    if (trail !== undefined) trail.arn = arn
    if (methodArnTooLong(arn))
      throw new GatewayError('GW_AUTHORIZER_ARN_TOO_LONG', { reason: 'authorizer.arn_too_long' })

    const identity = readIdentityValues(compiled.sources, view, syntax)
    // Hashing identity values for the trail is only worth it when someone reads the trail.
    if (trail !== undefined) {
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
    const key = compiled.ttlMs === 0 ? undefined : resultCacheKey(config.id, view.stage, identity.values)
    if (key !== undefined) {
      // A cached result is decided without a promise: the common case costs no await.
      const hit = cache.peek(key)
      if (hit !== undefined) {
        if (trail !== undefined) trail.cache = 'hit'
        return decideOutput(hit.output, hit.latencyMs, true, arn, view, trail)
      }
    }
    return loadAndDecide(key, buildEvent(view, arn, identity.values), arn, view, trail)
  }

  return {
    id: config.id,
    caches: compiled.ttlMs !== 0,
    decide,
    async authorize(view, options) {
      const trail = options?.trail ?? createTrail(config.id)
      try {
        const decision = await decide(view, trail)
        trail.outcome = 'allow'
        const { statementIndex } = decision
        return {
          ...decision,
          decidedBy: statementIndex === undefined ? undefined : { statementIndex },
          trail,
        }
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
